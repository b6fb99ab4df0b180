"""Accounts: register, verify, log in/out, reset and change password, profile, export and delete."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/account")

from coalition.accounts import views  # noqa: E402, F401
