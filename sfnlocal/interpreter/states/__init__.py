"""One module per state type; each compiles its own fields and runs one visit of the state."""
