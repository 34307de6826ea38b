package connectapi_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQueueAndTransferConcurrency runs the operations of queues.go and contacts.go from
// several goroutines at once (run it with -race): each worker creates a queue, starts
// tasks, transfers them, updates attributes and toggles q2's status and limit, while
// others list and describe. Every call must succeed or fail with a documented exception,
// and the instance must verify afterwards.
func TestQueueAndTransferConcurrency(t *testing.T) {
	e := newEnv(t, queueConfig())
	c := e.sdk()
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	const workers, rounds = 6, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*8)
	allowed := map[string]bool{"": true, "InvalidRequestException": true, "ServiceQuotaExceededException": true}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: aws.String(inst),
				Name: aws.String(fmt.Sprint("W", w)), HoursOfOperationId: aws.String(hours1)})
			errs <- err
			for r := range rounds {
				st, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(inst),
					ContactFlowId: aws.String(flowQ1), Name: aws.String("t"), Attributes: map[string]string{"w": fmt.Sprint(w)}})
				if err != nil {
					errs <- err
					continue
				}
				_, err = c.TransferContact(ctx, &connect.TransferContactInput{InstanceId: aws.String(inst),
					ContactId: st.ContactId, ContactFlowId: aws.String(flowQ1), QueueId: aws.String(q2)})
				if !allowed[errorCode(err)] {
					errs <- err
				}
				_, err = c.UpdateContactAttributes(ctx, &connect.UpdateContactAttributesInput{InstanceId: aws.String(inst),
					InitialContactId: st.ContactId, Attributes: map[string]string{"r": fmt.Sprint(r)}})
				errs <- err
				status := types.QueueStatusEnabled
				if r%3 == 0 {
					status = types.QueueStatusDisabled
				}
				_, err = c.UpdateQueueStatus(ctx, &connect.UpdateQueueStatusInput{InstanceId: aws.String(inst),
					QueueId: aws.String(q2), Status: status})
				errs <- err
				_, err = c.UpdateQueueMaxContacts(ctx, &connect.UpdateQueueMaxContactsInput{InstanceId: aws.String(inst),
					QueueId: aws.String(q2), MaxContacts: aws.Int32(int32(r % 4))})
				errs <- err
				_, err = c.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: aws.String(inst)})
				errs <- err
				_, err = c.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(inst), QueueId: aws.String(q2)})
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	out, err := c.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: aws.String(inst)})
	require.NoError(t, err)
	assert.Len(t, out.QueueSummaryList, 2+workers, "queues after %d concurrent creates", workers)
	e.verify()
}
