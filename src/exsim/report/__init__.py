"""Documents from games: one group's debrief and the class comparison, as Markdown, HTML, JSON.

Nothing here imports Textual; the game shows the same data (`debrief.build`, `classes.build`).
"""
