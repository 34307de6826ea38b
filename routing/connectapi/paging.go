package connectapi

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/routesim/routesim/routing"
)

// Pagination, one scheme for every List operation (query parameters maxResults and
// nextToken) and every body-paged one (members MaxResults and NextToken): a NextToken is
// opaque to clients; routesim's is the decimal offset of the next page's first item, as
// the routing core's own List operations make it. Items are listed in a stable order
// (configuration, then creation), so a listing stays consistent while items are added.

// defaultPageSize is the page size when MaxResults is absent (smaller if the operation's
// limit is).
const defaultPageSize = 100

// listPage is the window a List operation returns: up to size items from offset. Its zero
// value is an empty page; make one with newPage or queryPage.
type listPage struct{ offset, size int }

// newPage checks MaxResults (1..limit; nil: defaultPageSize, or limit if smaller) and
// NextToken (a token this service returned). The cost is O(1).
func newPage(maxResults *int32, token *string, limit int) (listPage, error) {
	pg := listPage{size: min(defaultPageSize, limit)}
	if maxResults != nil {
		if *maxResults < 1 || int(*maxResults) > limit {
			return listPage{}, invalidParam("MaxResults %d is out of range 1..%d", *maxResults, limit)
		}
		pg.size = int(*maxResults)
	}
	if token != nil {
		n, err := strconv.Atoi(*token)
		if err != nil || n < 0 {
			return listPage{}, badToken(*token)
		}
		pg.offset = n
	}
	return pg, nil
}

func badToken(tok string) error {
	return invalidParam("NextToken %q is not a token this operation returned", tok)
}

// queryPage reads the maxResults and nextToken query parameters of a List operation and
// checks them as newPage does. The cost is O(1).
func queryPage(p params, limit int) (listPage, error) {
	maxResults, token, err := pageQuery(p)
	if err != nil {
		return listPage{}, err
	}
	return newPage(maxResults, token, limit)
}

// pageQuery reads the maxResults and nextToken query parameters, each given at most once,
// unchecked: for the operations whose page the routing core checks (it uses the same
// scheme). The cost is O(1).
func pageQuery(p params) (*int32, *string, error) {
	var maxResults *int32
	if vs, ok := p.query["maxResults"]; ok {
		if len(vs) != 1 {
			return nil, nil, invalidParam("maxResults is given %d times", len(vs))
		}
		n, err := strconv.ParseInt(vs[0], 10, 32)
		if err != nil {
			return nil, nil, invalidParam("maxResults %q is not an integer", vs[0])
		}
		m := int32(n)
		maxResults = &m
	}
	var token *string
	if vs, ok := p.query["nextToken"]; ok {
		if len(vs) != 1 {
			return nil, nil, invalidParam("nextToken is given %d times", len(vs))
		}
		token = &vs[0]
	}
	return maxResults, token, nil
}

// cutPage returns the items of all in page pg (never nil, so that JSON lists it as []) and
// the token of the next page (nil after the last). A token beyond the end of all is an
// InvalidParameterException. The returned slice shares all's array, capped at its end.
// The cost is O(1).
func cutPage[T any](all []T, pg listPage) ([]T, *string, error) {
	if pg.offset > len(all) {
		return nil, nil, badToken(strconv.Itoa(pg.offset))
	}
	hi := min(len(all), pg.offset+pg.size)
	var next *string
	if hi < len(all) {
		t := strconv.Itoa(hi)
		next = &t
	}
	if hi == pg.offset {
		return []T{}, next, nil
	}
	return all[pg.offset:hi:hi], next, nil
}

// summaryJSON is the summary of a resource that List operations return for hours of
// operation and routing profiles (the API's HoursOfOperationSummary and
// RoutingProfileSummary have these members).
type summaryJSON struct {
	Id                 string     `json:"Id"`
	Arn                string     `json:"Arn"`
	Name               string     `json:"Name"`
	LastModifiedTime   *epochTime `json:"LastModifiedTime,omitempty"`
	LastModifiedRegion string     `json:"LastModifiedRegion"`
}

// listOutput is the output of a List operation: its items under the member the API names,
// then NextToken when there is a next page.
type listOutput[T any] struct {
	member string
	items  []T
	next   *string
}

// MarshalJSON writes {"<member>": items, "NextToken": next}.
func (o listOutput[T]) MarshalJSON() ([]byte, error) {
	m := map[string]any{o.member: o.items}
	if o.next != nil {
		m["NextToken"] = *o.next
	}
	return json.Marshal(m)
}

// listAdmin decodes a List operation over an instance's users, statuses, routing profiles
// or security profiles: it reads the InstanceId path parameter and the page (MaxResults
// 1..limit); its call builds every item with items, under the API state's lock, and
// returns the page of them under member. The cost is that of items.
func listAdmin[T any](h *Handler, p params, limit int, member string,
	items func(inst string, s *adminState, ri *routing.Instance) []T) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, err
	}
	pg, err := queryPage(p, limit)
	if err != nil {
		return nil, err
	}
	return func(context.Context) (any, error) {
		return h.withAdmin(inst, func(s *adminState, ri *routing.Instance) (any, error) {
			page, next, err := cutPage(items(inst, s, ri), pg)
			if err != nil {
				return nil, err
			}
			return listOutput[T]{member, page, next}, nil
		})
	}, nil
}
