"""Destructive actions ask first: a confirmation page (GET) in front of the action's existing POST."""

from flask import render_template

from coalition.core.forms import ActionForm


def render_confirmation(
    heading: str,
    consequences: list[str],
    confirm_label: str,
    action_url: str,
    cancel_url: str,
    lead: str | None = None,
    warning: str | None = None,
):
    """The page that says what an action does and what cannot be undone, with a danger button and a way back."""
    return render_template(
        "confirm.html",
        heading=heading,
        lead=lead,
        warning=warning,
        consequences=consequences,
        confirm_label=confirm_label,
        action_url=action_url,
        cancel_url=cancel_url,
        action_form=ActionForm(),
    )
