package routing

import (
	"fmt"

	"github.com/aws/smithy-go"
)

// The exception types below mirror Amazon Connect's. Each implements smithy-go's APIError
// (ErrorCode, ErrorMessage, ErrorFault), so code that handles AWS SDK errors with
// errors.As(err, &apiErr) handles these too. Match a specific one with errors.As and a
// pointer to the type, e.g. var nf *routing.ResourceNotFoundException.

// InvalidParameterException reports a bad request parameter (HTTP 400).
type InvalidParameterException struct{ Message string }

// ResourceNotFoundException reports an unknown instance, contact, queue or agent (HTTP 404).
type ResourceNotFoundException struct{ Message string }

// ResourceConflictException reports a contact that exists but is not in the state the call
// needs, such as an UpdateContactRoutingData for a contact already with an agent (HTTP 409).
type ResourceConflictException struct{ Message string }

// ThrottlingException reports a request over the allowed rate (HTTP 429).
type ThrottlingException struct{ Message string }

// AccessDeniedException reports a request without valid credentials (HTTP 403).
type AccessDeniedException struct{ Message string }

// InternalServiceException reports a failure inside the service (HTTP 500).
type InternalServiceException struct{ Message string }

// DuplicateResourceException reports a resource that already exists, such as a predefined
// attribute name in use (HTTP 409).
type DuplicateResourceException struct{ Message string }

// ResourceInUseException reports a resource that cannot be deleted while something uses it,
// such as a predefined attribute an agent's proficiency names (HTTP 409).
type ResourceInUseException struct{ Message string }

// LimitExceededException reports a quota reached, such as MaxPredefinedAttributes (HTTP 429).
type LimitExceededException struct{ Message string }

// Error implements error.
func (e *InvalidParameterException) Error() string { return apiErrorString(e) }

// ErrorCode returns "InvalidParameterException".
func (e *InvalidParameterException) ErrorCode() string { return "InvalidParameterException" }

// ErrorMessage returns the message.
func (e *InvalidParameterException) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultClient.
func (e *InvalidParameterException) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// HTTPStatusCode returns 400.
func (e *InvalidParameterException) HTTPStatusCode() int { return 400 }

// Error implements error.
func (e *ResourceNotFoundException) Error() string { return apiErrorString(e) }

// ErrorCode returns "ResourceNotFoundException".
func (e *ResourceNotFoundException) ErrorCode() string { return "ResourceNotFoundException" }

// ErrorMessage returns the message.
func (e *ResourceNotFoundException) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultClient.
func (e *ResourceNotFoundException) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// HTTPStatusCode returns 404.
func (e *ResourceNotFoundException) HTTPStatusCode() int { return 404 }

// Error implements error.
func (e *ResourceConflictException) Error() string { return apiErrorString(e) }

// ErrorCode returns "ResourceConflictException".
func (e *ResourceConflictException) ErrorCode() string { return "ResourceConflictException" }

// ErrorMessage returns the message.
func (e *ResourceConflictException) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultClient.
func (e *ResourceConflictException) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// HTTPStatusCode returns 409.
func (e *ResourceConflictException) HTTPStatusCode() int { return 409 }

// Error implements error.
func (e *ThrottlingException) Error() string { return apiErrorString(e) }

// ErrorCode returns "ThrottlingException".
func (e *ThrottlingException) ErrorCode() string { return "ThrottlingException" }

// ErrorMessage returns the message.
func (e *ThrottlingException) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultClient.
func (e *ThrottlingException) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// HTTPStatusCode returns 429.
func (e *ThrottlingException) HTTPStatusCode() int { return 429 }

// Error implements error.
func (e *AccessDeniedException) Error() string { return apiErrorString(e) }

// ErrorCode returns "AccessDeniedException".
func (e *AccessDeniedException) ErrorCode() string { return "AccessDeniedException" }

// ErrorMessage returns the message.
func (e *AccessDeniedException) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultClient.
func (e *AccessDeniedException) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// HTTPStatusCode returns 403.
func (e *AccessDeniedException) HTTPStatusCode() int { return 403 }

// Error implements error.
func (e *InternalServiceException) Error() string { return apiErrorString(e) }

// ErrorCode returns "InternalServiceException".
func (e *InternalServiceException) ErrorCode() string { return "InternalServiceException" }

// ErrorMessage returns the message.
func (e *InternalServiceException) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultServer.
func (e *InternalServiceException) ErrorFault() smithy.ErrorFault { return smithy.FaultServer }

// HTTPStatusCode returns 500.
func (e *InternalServiceException) HTTPStatusCode() int { return 500 }

// Error implements error.
func (e *DuplicateResourceException) Error() string { return apiErrorString(e) }

// ErrorCode returns "DuplicateResourceException".
func (e *DuplicateResourceException) ErrorCode() string { return "DuplicateResourceException" }

// ErrorMessage returns the message.
func (e *DuplicateResourceException) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultClient.
func (e *DuplicateResourceException) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// HTTPStatusCode returns 409.
func (e *DuplicateResourceException) HTTPStatusCode() int { return 409 }

// Error implements error.
func (e *ResourceInUseException) Error() string { return apiErrorString(e) }

// ErrorCode returns "ResourceInUseException".
func (e *ResourceInUseException) ErrorCode() string { return "ResourceInUseException" }

// ErrorMessage returns the message.
func (e *ResourceInUseException) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultClient.
func (e *ResourceInUseException) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// HTTPStatusCode returns 409.
func (e *ResourceInUseException) HTTPStatusCode() int { return 409 }

// Error implements error.
func (e *LimitExceededException) Error() string { return apiErrorString(e) }

// ErrorCode returns "LimitExceededException".
func (e *LimitExceededException) ErrorCode() string { return "LimitExceededException" }

// ErrorMessage returns the message.
func (e *LimitExceededException) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultClient.
func (e *LimitExceededException) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// HTTPStatusCode returns 429.
func (e *LimitExceededException) HTTPStatusCode() int { return 429 }

// APIError is what every exception type of this package implements: smithy-go's APIError
// plus the HTTP status code the emulator answers with.
type APIError interface {
	smithy.APIError
	HTTPStatusCode() int
}

func apiErrorString(e APIError) string {
	return fmt.Sprintf("routing: %s: %s", e.ErrorCode(), e.ErrorMessage())
}

func invalidParam(format string, args ...any) error {
	return &InvalidParameterException{Message: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &ResourceNotFoundException{Message: fmt.Sprintf(format, args...)}
}

func conflict(format string, args ...any) error {
	return &ResourceConflictException{Message: fmt.Sprintf(format, args...)}
}
