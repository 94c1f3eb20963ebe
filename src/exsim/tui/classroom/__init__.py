"""The class in Textual: the student's page (join, then play one role) and the facilitator's
console. Both reuse the game's screens and follow the shared store with a timer."""
