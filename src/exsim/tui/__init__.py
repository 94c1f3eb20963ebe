"""The Textual game. The only package that imports Textual: it asks the engine for every rule."""
