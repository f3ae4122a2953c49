from flask_wtf import FlaskForm
from wtforms import HiddenField


class MeetingForm(FlaskForm):
    """The buttons in the meeting-mode matrix: the plan in view and the page to go back to."""

    plan = HiddenField()
    next = HiddenField()
