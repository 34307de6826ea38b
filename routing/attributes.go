package routing

import (
	"time"
)

// Limits of predefined attributes and proficiencies, from the API model, the admin guide
// ("Create predefined attributes") and Connect's service quotas.
const (
	// MaxAttributeNameLen and MaxAttributeValueLen bound the length of a predefined
	// attribute's name and of each value, in bytes (the API model's 1..100).
	MaxAttributeNameLen  = 100
	MaxAttributeValueLen = 100
	// MaxAttributeValues is the most values a predefined attribute may have.
	MaxAttributeValues = 500
	// MaxPredefinedAttributes is the most predefined attributes an instance may have
	// (Connect's default quota).
	MaxPredefinedAttributes = 150
	// MaxAgentProficiencies is the most proficiencies an agent may hold (Connect's default
	// quota "Proficiencies per agent").
	MaxAgentProficiencies = 10
)

// PredefinedAttribute mirrors the API's PredefinedAttribute: a name and its values. Its JSON
// is the API's.
type PredefinedAttribute struct {
	Name   string                    `json:"Name"`
	Values PredefinedAttributeValues `json:"Values"`
	// LastModifiedTime is when the attribute was created or last updated (output only).
	LastModifiedTime *time.Time `json:"LastModifiedTime,omitempty"`
}

// PredefinedAttributeValues mirrors the API's PredefinedAttributeValues union; StringList is
// its one member.
type PredefinedAttributeValues struct {
	StringList []string `json:"StringList"`
}

// Proficiency mirrors the API's UserProficiency: an agent's level 1..5 in one value of a
// predefined attribute. Level is a float on the wire; only whole levels are valid.
type Proficiency struct {
	AttributeName  string  `json:"AttributeName"`
	AttributeValue string  `json:"AttributeValue"`
	Level          float64 `json:"Level"`
}

// ProficiencyKey mirrors the API's UserProficiencyDisassociate: which proficiency to remove.
type ProficiencyKey struct {
	AttributeName  string `json:"AttributeName"`
	AttributeValue string `json:"AttributeValue"`
}
