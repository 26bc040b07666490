"""Legal analysis: elements of crimes (versioned data), assessments of elements against a
case's records, and protocol checklists (Minnesota, Bournemouth, Berkeley, casualty
recording). See ``docs/legal.md``."""
