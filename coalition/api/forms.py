"""Forms of the leads' settings pages: API keys, webhook endpoints, people import."""

from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField, widgets
from wtforms.validators import DataRequired, Length

from coalition.api.webhooks import EVENT_TYPES
from coalition.core.forms import BaseForm
from coalition.core.i18n import lazy_gettext as _l


class ApiKeyForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    scope = RadioField(
        _l("May"), choices=[("read", _l("Read only")), ("read_write", _l("Read and write"))], default="read"
    )
    submit = SubmitField(_l("Create key"))


class WebhookForm(BaseForm):
    url = StringField(_l("Address (https://…)"), validators=[DataRequired(), Length(max=500)])
    events = SelectMultipleField(
        _l("Events"),
        choices=[(e, e) for e in EVENT_TYPES],
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
    submit = SubmitField(_l("Add webhook"))


class ImportUploadForm(BaseForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])
    submit = SubmitField(_l("Preview"))


class ImportConfirmForm(BaseForm):
    #: The previewed file, sent back as is (line breaks kept) and checked again before anything is written.
    content = TextAreaField(widget=widgets.HiddenInput())
    submit = SubmitField(_l("Send the invitations"))
