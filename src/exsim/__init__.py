"""exsim: a decision-simulation game of the Cuban Missile Crisis endgame, November 1962."""

__version__ = "0.1.0"
