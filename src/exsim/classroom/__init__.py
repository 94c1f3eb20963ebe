"""Shared classes: one class code, several groups, each student in their own role.

Nothing here imports Textual: the student page, the facilitator's console and the benchmark
all act through `Classroom`, `Student` and `Facilitator`.
"""

from __future__ import annotations

from exsim.classroom.follow import Follower
from exsim.classroom.room import (
    MAX_REASON,
    SEAT_ENV,
    ClassError,
    Classroom,
    ClassState,
    Facilitator,
    Group,
    Student,
)
from exsim.classroom.view import SeatView

__all__ = [
    "MAX_REASON",
    "SEAT_ENV",
    "ClassError",
    "ClassState",
    "Classroom",
    "Facilitator",
    "Follower",
    "Group",
    "SeatView",
    "Student",
]
