"""Forms: the public report (in steps), the operator's intake form and the triage actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.models import Organisation, User
from safeguard.core import boundaries
from safeguard.core.flags import FLAG_FILTER_CHOICES
from safeguard.core.geography import country_choices, subdivision_choices
from safeguard.core.list_forms import ListFilterForm
from safeguard.core.validation import (
    IDENTIFIERS_MAX,
    NARRATIVE_MAX,
    SHORT_MAX,
    TEXT_MAX,
    no_control_characters,
    validate_country,
    validate_subdivision,
)
from safeguard.core.widgets import DateInput
from safeguard.intake.choices import (
    CHILD_INDICATORS,
    ILO_INDICATORS,
    OPERATOR_CHANNELS,
    Channel,
    Danger,
    EscalationOutcome,
    ExploitationType,
    Gender,
    HandoverOutcome,
    IdentifierKind,
    Indicator,
    Occurred,
    Outcome,
    Relation,
    Status,
    Urgency,
)
from safeguard.intake.identifiers import parse_phone
from safeguard.intake.models import QUEUE_SORTS, RoutingRule
from safeguard.intake.services.submission import ReportInput

CHILD_SLOTS = 3
SUSPECT_SLOTS = 2
IDENTIFIER_FIELDS = {
    "phones": IdentifierKind.PHONE,
    "emails": IdentifierKind.EMAIL,
    "handles": IdentifierKind.HANDLE,
    "urls": IdentifierKind.URL,
    "plates": IdentifierKind.PLATE,
}


def _text(
    label: Any, *, max_length: int = SHORT_MAX, required: bool = False, rows: int = 0, **kwargs: Any
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=widget,
        validators=[no_control_characters],
        strip=True,
        **kwargs,
    )


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """``form.fields[name]``, typed as the choice field it is (so its choices can be set)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """``form.fields[name]``, typed as the model choice field it is (so its queryset can be set)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    return field


def _lines(label: Any, help_text: Any) -> forms.CharField:
    return _text(label, max_length=TEXT_MAX, rows=2, help_text=help_text)


class ReportFieldsForm(forms.Form):
    """Every question of a report, shared by the public and the operator forms."""

    child_in_danger = forms.ChoiceField(
        label=_("Is a child in danger right now?"),
        choices=Danger.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Tell us whether a child is in danger right now.")},
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    narrative = _text(
        _("What happened?"),
        max_length=NARRATIVE_MAX,
        required=True,
        rows=6,
        help_text=_("In your own words: what you saw or heard, and what worries you."),
        error_messages={"required": _("Tell us what happened; a few words are enough.")},
    )
    subdivision = forms.ChoiceField(
        label=_("Where did this happen?"),
        required=False,
        help_text=_(
            "Optional: the region, state or province. A region is never precise enough to identify a home."
        ),
    )
    place = _text(
        _("Town, street or place"), help_text=_("As precisely as you can, for example a shop or a bus stop.")
    )
    occurred = forms.ChoiceField(
        label=_("When did it happen?"), choices=Occurred.choices, widget=forms.RadioSelect, required=False
    )
    latitude = forms.DecimalField(
        label=_("Map point: latitude (optional)"),
        required=False,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        max_digits=8,
        decimal_places=5,
        widget=forms.HiddenInput,  # filled by the map of the region (intake/_location_picker.html)
    )
    longitude = forms.DecimalField(
        label=_("Map point: longitude (optional)"),
        required=False,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        max_digits=8,
        decimal_places=5,
        widget=forms.HiddenInput,
    )
    children_count = forms.IntegerField(
        label=_("How many children are involved, roughly?"), required=False, min_value=0, max_value=500
    )
    indicators = forms.MultipleChoiceField(
        label=_("What signs did you notice?"),
        choices=Indicator.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick all that apply. It is fine to tick none."),
    )
    exploitation_types = forms.MultipleChoiceField(
        label=_("What do you think is happening?"),
        choices=ExploitationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    phones = _lines(_("Phone numbers"), _("One per line. Write them as you saw them, even if incomplete."))
    emails = _lines(_("E-mail addresses"), _("One per line."))
    handles = _lines(_("Social-media names or handles"), _("One per line, for example @name on an app."))
    urls = _lines(_("Web addresses"), _("One per line, for example an advert or a profile."))
    plates = _lines(_("Vehicle number plates"), _("One per line."))
    relation = forms.ChoiceField(
        label=_("How do you know about this?"), choices=[("", "—"), *Relation.choices], required=False
    )
    contact_name = _text(_("Your name (optional)"), max_length=200)
    contact_phone = _text(_("Your phone number (optional)"), max_length=40)
    contact_email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter an e-mail address like name@example.org, or leave it empty.")},
    )
    contact_consent = forms.BooleanField(label=_("You may contact me about this report"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for slot in range(1, CHILD_SLOTS + 1):
            self.fields[f"child_{slot}_age"] = forms.IntegerField(
                label=_("Child %(n)d: approximate age") % {"n": slot},
                required=False,
                min_value=0,
                max_value=17,
                error_messages={
                    "min_value": _(
                        "A child's age is between 0 and 17; give your best guess or leave it empty."
                    ),
                    "max_value": _(
                        "A child's age is between 0 and 17; give your best guess or leave it empty."
                    ),
                    "invalid": _("Write the age as a number, like 14."),
                },
            )
            self.fields[f"child_{slot}_gender"] = forms.ChoiceField(
                label=_("Child %(n)d: gender") % {"n": slot},
                choices=[("", "—"), *Gender.choices],
                required=False,
            )
            self.fields[f"child_{slot}_description"] = _text(
                _("Child %(n)d: what they look like, what they wore, what they said") % {"n": slot},
                max_length=TEXT_MAX,
                rows=2,
            )
        for slot in range(1, SUSPECT_SLOTS + 1):
            self.fields[f"suspect_{slot}_description"] = _text(
                _("Suspected person %(n)d: description") % {"n": slot}, max_length=TEXT_MAX, rows=2
            )
            self.fields[f"suspect_{slot}_names"] = _text(
                _("Suspected person %(n)d: names or nicknames") % {"n": slot}
            )
        choice_field(self, "country").choices = [("", _("Choose a country")), *country_choices()]
        country = (self.data.get(self.add_prefix("country")) or self.initial.get("country") or "").upper()
        self.country_code = country  # whose regions the select and the map picker offer
        choice_field(self, "subdivision").choices = [
            ("", _("I don't know / prefer not to say")),
            *(subdivision_choices(country) if country else []),
        ]

    def clean_country(self) -> str:
        return validate_country(self.cleaned_data.get("country", ""))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        country = data.get("country", "")
        if data.get("subdivision"):
            try:
                data["subdivision"] = validate_subdivision(data["subdivision"], country)
            except ValidationError as error:
                self.add_error("subdivision", error)
        if (data.get("latitude") is None) != (
            data.get("longitude") is None
        ) and "latitude" not in self.errors:
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        elif (
            data.get("latitude") is not None and data.get("subdivision") and "subdivision" not in self.errors
        ):
            region = boundaries.shape(data["subdivision"])
            point = (float(data["longitude"]), float(data["latitude"]))
            if region is not None and not boundaries.point_in_geometry(*point, region):
                self.add_error(
                    "latitude",
                    _(
                        "The map point is outside the region you chose; choose the point again, or leave it out."
                    ),
                )
        lines = sum(len(self._lines(name)) for name in IDENTIFIER_FIELDS)
        if lines > IDENTIFIERS_MAX:
            self.add_error("phones", _("Give at most %(max)d identifiers in all.") % {"max": IDENTIFIERS_MAX})
        for name in IDENTIFIER_FIELDS:
            if any(len(line) > SHORT_MAX for line in self._lines(name)):
                self.add_error(name, _("Each line must be under %(max)d characters.") % {"max": SHORT_MAX})
        has_contact = any(data.get(name) for name in ("contact_name", "contact_phone", "contact_email"))
        if data.get("contact_consent") and not (data.get("contact_phone") or data.get("contact_email")):
            self.add_error(
                "contact_phone",
                _("Give a phone number or an e-mail address so we can contact you, or untick the box."),
            )
        elif has_contact and not data.get("contact_consent"):
            self.add_error(
                "contact_consent",
                _("Tick this box if we may contact you, or leave your contact details empty."),
            )
        return data

    def _lines(self, name: str) -> list[str]:
        value = self.cleaned_data.get(name) or ""
        return [line.strip() for line in value.splitlines() if line.strip()]

    def to_input(self, *, language: str = "") -> ReportInput:
        data = self.cleaned_data
        children = [
            {
                "age": data.get(f"child_{slot}_age"),
                "gender": data.get(f"child_{slot}_gender", ""),
                "description": data.get(f"child_{slot}_description", ""),
            }
            for slot in range(1, CHILD_SLOTS + 1)
        ]
        children = [
            child for child in children if child["age"] is not None or child["gender"] or child["description"]
        ]
        suspects = [
            {
                "description": data.get(f"suspect_{slot}_description", ""),
                "names": data.get(f"suspect_{slot}_names", ""),
            }
            for slot in range(1, SUSPECT_SLOTS + 1)
        ]
        contact: dict[str, Any] = {
            "name": data.get("contact_name", ""),
            "phone": data.get("contact_phone", ""),
            "email": data.get("contact_email", ""),
        }
        if contact["phone"]:
            parsed = parse_phone(contact["phone"], region=data.get("country", ""))
            contact["phone_e164"] = parsed.normalised if parsed.is_valid else ""
            contact["phone_parsed"] = parsed.is_valid
        return ReportInput(
            narrative=data["narrative"],
            country=data.get("country", ""),
            subdivision=data.get("subdivision", ""),
            place=data.get("place", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            occurred=data.get("occurred", ""),
            children=children,
            children_count=data.get("children_count"),
            suspects=[suspect for suspect in suspects if suspect["description"] or suspect["names"]],
            identifiers=[
                (str(kind), line) for name, kind in IDENTIFIER_FIELDS.items() for line in self._lines(name)
            ],
            indicators=data.get("indicators", []),
            exploitation_types=data.get("exploitation_types", []),
            child_in_danger=data.get("child_in_danger", ""),
            relation=data.get("relation", ""),
            contact={key: value for key, value in contact.items() if value not in ("", None)},
            contact_consent=bool(data.get("contact_consent")),
            language=language,
        )


class PublicReportForm(ReportFieldsForm):
    # Honeypot: hidden from people (and assistive technology); bots fill it in.
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    STEPS: list[tuple[str, Any, list[str]]] = [
        ("safety", _("Safety first"), ["child_in_danger", "country"]),
        (
            "what",
            _("What happened"),
            ["narrative", "subdivision", "place", "occurred", "latitude", "longitude"],
        ),
        (
            "people",
            _("Who was involved"),
            ["children_count"]
            + [
                f"child_{n}_{part}"
                for n in range(1, CHILD_SLOTS + 1)
                for part in ("age", "gender", "description")
            ]
            + [
                f"suspect_{n}_{part}"
                for n in range(1, SUSPECT_SLOTS + 1)
                for part in ("description", "names")
            ],
        ),
        ("signs", _("Signs and details"), ["indicators", "exploitation_types", *IDENTIFIER_FIELDS]),
        (
            "you",
            _("About you"),
            ["relation", "contact_name", "contact_phone", "contact_email", "contact_consent"],
        ),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "indicators").choices = [
            (_("Signs of forced labour"), [(c.value, c.label) for c in ILO_INDICATORS]),
            (_("Signs about children"), [(c.value, c.label) for c in CHILD_INDICATORS]),
        ]

    def step_fields(self, index: int) -> list[str]:
        return self.STEPS[index][2]

    def first_step_with_errors(self) -> int | None:
        for index, (_key, _title, names) in enumerate(self.STEPS):
            if any(name in self.errors for name in names):
                return index
        return None

    def review(self) -> list[tuple[int, Any, list[tuple[Any, str]]]]:
        """Every answer given, step by step, as the reporter would read it: ``(step index,
        step title, [(label, answer)])``. Call on a valid form."""
        sections = []
        for index, (_key, title, names) in enumerate(self.STEPS):
            answers = []
            for name in names:
                shown = _answer_text(self.fields[name], self.cleaned_data.get(name))
                if shown:
                    answers.append((self.fields[name].label, shown))
            sections.append((index, title, answers))
        return sections


def _answer_text(field: forms.Field, value: Any) -> str:
    """An answer as text: choices by their labels, booleans as yes, nothing as ""."""
    if value in (None, "", [], False):
        return ""
    if value is True:
        return str(_("Yes"))
    if isinstance(field, forms.ChoiceField):
        labels: dict[str, str] = {}
        choices: Any = field.choices  # a list here: the form set it
        for key, label in choices:
            if isinstance(label, (list, tuple)):
                labels.update({str(k): str(v) for k, v in label})
            else:
                labels[str(key)] = str(label)
        values = value if isinstance(value, (list, tuple)) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in values)
    return str(value)


class OperatorReportForm(ReportFieldsForm):
    channel = forms.ChoiceField(
        label=_("How did the report come in?"), choices=[(c.value, c.label) for c in OPERATOR_CHANNELS]
    )

    field_order = ["channel"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child_in_danger"].label = _("Is a child in danger right now (as the reporter says)?")
        self.fields["contact_name"].label = _("Reporter's name")
        self.fields["contact_phone"].label = _("Reporter's phone")
        self.fields["contact_email"].label = _("Reporter's e-mail")
        self.fields["contact_consent"].label = _("The reporter agrees to be contacted")


class FollowUpForm(forms.Form):
    receipt = forms.CharField(
        label=_("Receipt code"),
        max_length=60,
        validators=[no_control_characters],
        help_text=_(
            "The code you were given, like K7M2-Q9XD-4HTR-8WPA-3NVE-6ZCJ. Dashes and spaces do not matter."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    message = _text(_("Answer a question or add information (optional)"), max_length=TEXT_MAX, rows=4)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome (when closing)"),
        required=False,
        choices=[("", "—"), *[(c.value, c.label) for c in Outcome if c != Outcome.DUPLICATE]],
    )


# The queue's status filter: its own views of the work, then each status, then everything.
QUEUE_STATUS_CHOICES = [
    ("open", _("All open")),
    ("overdue", _("Overdue")),
    ("offered", _("Offered to us")),
    *Status.choices,
    ("all", _("All")),
]


class QueueFilterForm(ListFilterForm):
    """The triage queue's search, filters and sort, every value checked before it reaches a query.

    ``assignee`` cleans to "me", "none" (nobody yet) or one of ``users``; an empty status is the
    open work, as when the queue is opened without parameters."""

    SORTS = QUEUE_SORTS
    DATE_RANGE = ("received_from", "received_to")

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_(
            "A reference, or a phone number, e-mail, handle, web address or plate named in the report."
        ),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=QUEUE_STATUS_CHOICES)
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), *reversed(Urgency.choices)],
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any")), *Channel.choices]
    )
    place = forms.CharField(
        label=_("Place"), required=False, max_length=6, help_text=_("A country (GB) or region (GB-ENG) code.")
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput)
    received_to = forms.DateField(label=_("Received until"), required=False, widget=DateInput)
    flag = forms.ChoiceField(label=_("Flags"), required=False, choices=FLAG_FILTER_CHOICES)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *settings.LANGUAGES]
    )
    sort = forms.CharField(label=_("Sort order"), required=False, max_length=20)

    def __init__(self, *args: Any, users: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.users = {str(user.pk): user for user in users}
        choice_field(self, "assignee").choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Nobody yet")),
            *[(pk, user.name or user.email) for pk, user in self.users.items()],
        ]

        # The help texts are the inputs' tooltips, so the filter row keeps one height.
        for name in ("q", "place"):
            self.fields[name].widget.attrs["title"] = self.fields[name].help_text

    def clean_status(self) -> str:
        return self.cleaned_data["status"] or "open"

    def clean_assignee(self) -> User | str | None:
        value = self.cleaned_data["assignee"]
        if value in ("me", "none"):
            return value
        return self.users.get(value)


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)

    def __init__(self, *args: Any, users: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "assignee").choices = [
            ("", _("Nobody")),
            *[(str(user.pk), user.name or user.email) for user in users],
        ]


class TextForm(forms.Form):
    body = _text(_("Text"), max_length=TEXT_MAX, required=True, rows=3)


class DeclineForm(forms.Form):
    reason = _text(_("Why you decline"), max_length=TEXT_MAX, required=True, rows=2)


class HandoverCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How it ended"),
        choices=[(c.value, c.label) for c in HandoverOutcome if c != HandoverOutcome.CASE_CLOSED],
    )


class HandoverSettingsForm(forms.Form):
    email_steps = forms.BooleanField(
        label=_("E-mail our contact address at each hand-over step"),
        required=False,
        help_text=_(
            "When a report is offered to us, and when an organisation we handed a report to accepts, "
            "declines, opens a case or closes it. The e-mail names the report's reference only."
        ),
    )


class RouteForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Route to"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = organisations


class DuplicateForm(forms.Form):
    original = forms.CharField(
        label=_("Reference of the original report"),
        max_length=16,
        validators=[no_control_characters],
        help_text=_("For example SG-K7M2Q9XD"),
    )


class EscalateForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Law-enforcement organisation"), queryset=Organisation.objects.none()
    )
    summary = _text(_("Why escalate, and what is needed"), max_length=TEXT_MAX, required=True, rows=3)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = organisations


class EscalationOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened"),
        choices=[(c.value, c.label) for c in EscalationOutcome if c != EscalationOutcome.PENDING],
    )
    note = _text(_("Note for the hotline (optional)"), max_length=TEXT_MAX, rows=3)


class RoutingRuleForm(forms.ModelForm):
    destinations = forms.ModelMultipleChoiceField(
        label=_("Send to"), queryset=Organisation.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = RoutingRule
        fields = ["name", "country", "subdivision", "exploitation_type", "min_urgency", "is_active"]

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "destinations").queryset = organisations
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"), required=False, choices=[("", _("Any country")), *country_choices()]
        )
        self.fields["subdivision"] = forms.CharField(
            label=_("Region code"),
            required=False,
            max_length=6,
            help_text=_("ISO 3166-2, for example ES-MD; empty for any."),
        )
        self.fields["exploitation_type"] = forms.ChoiceField(
            label=_("Kind of exploitation"),
            required=False,
            choices=[("", _("Any")), *ExploitationType.choices],
        )
        self.fields["min_urgency"] = forms.TypedChoiceField(
            label=_("Minimum urgency"), choices=Urgency.choices, coerce=int, initial=Urgency.LOW
        )

    def clean_country(self) -> str:
        return validate_country(self.cleaned_data.get("country", ""))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("subdivision"):
            try:
                data["subdivision"] = validate_subdivision(data["subdivision"], data.get("country", ""))
            except ValidationError as error:
                self.add_error("subdivision", error)
        return data


class PartnerChannelForm(forms.Form):
    name = _text(
        _("Name of the partner channel"),
        max_length=100,
        required=True,
        help_text=_("For example: SMS gateway"),
    )
