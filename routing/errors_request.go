package routing

import (
	"errors"

	"github.com/aws/smithy-go"
)

// Causes of the refusals below; match them with errors.Is.
var (
	// ErrQueueDisabled: the queue is DISABLED and takes no new contacts or transfers.
	ErrQueueDisabled = errors.New("routing: queue is disabled")
	// ErrQueueAtCapacity: the queue holds its maximum number of waiting contacts.
	ErrQueueAtCapacity = errors.New("routing: queue is at capacity")
	// ErrTransferLimit: the contact has been transferred MaxTransfers times already.
	ErrTransferLimit = errors.New("routing: contact transferred too many times")
	// ErrNotTransferable: the contact's channel cannot be transferred (only TASK and EMAIL
	// can), or it has ended.
	ErrNotTransferable = errors.New("routing: contact cannot be transferred")
)

// InvalidRequestException reports a request that is well formed but not valid in the
// resource's state, such as a transfer of a VOICE contact or a start into a DISABLED queue
// (HTTP 400). Cause, when set, is one of the Err* values above, so that errors.Is matches it.
type InvalidRequestException struct {
	Message string
	Cause   error
}

// ServiceQuotaExceededException reports a quota reached, such as a queue's maximum
// contacts or a contact's transfer limit (HTTP 402, as Connect's API model has it). Cause,
// when set, is ErrQueueAtCapacity or ErrTransferLimit.
type ServiceQuotaExceededException struct {
	Message string
	Cause   error
}

// Error implements error.
func (e *InvalidRequestException) Error() string { return apiErrorString(e) }

// Unwrap returns the cause.
func (e *InvalidRequestException) Unwrap() error { return e.Cause }

// ErrorCode returns "InvalidRequestException".
func (e *InvalidRequestException) ErrorCode() string { return "InvalidRequestException" }

// ErrorMessage returns the message.
func (e *InvalidRequestException) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultClient.
func (e *InvalidRequestException) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// HTTPStatusCode returns 400.
func (e *InvalidRequestException) HTTPStatusCode() int { return 400 }

// Error implements error.
func (e *ServiceQuotaExceededException) Error() string { return apiErrorString(e) }

// Unwrap returns the cause.
func (e *ServiceQuotaExceededException) Unwrap() error { return e.Cause }

// ErrorCode returns "ServiceQuotaExceededException".
func (e *ServiceQuotaExceededException) ErrorCode() string { return "ServiceQuotaExceededException" }

// ErrorMessage returns the message.
func (e *ServiceQuotaExceededException) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultClient.
func (e *ServiceQuotaExceededException) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// HTTPStatusCode returns 402.
func (e *ServiceQuotaExceededException) HTTPStatusCode() int { return 402 }
