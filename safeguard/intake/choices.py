"""The picklists of a report, in plain words. Exploitation types are HTCDS v2.0 values."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from safeguard.core.picklists import ExploitationType as HtcdsExploitationType
from safeguard.intake.urgency import Level


class Channel(models.TextChoices):
    WEB = "web", _("Public web form")
    APP = "app", _("Public API or app")
    PARTNER = "partner", _("Partner channel")
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    WALK_IN = "walk_in", _("Walk-in")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    USSD = "ussd", _("USSD")
    MESSAGING = "messaging", _("Messaging gateway")


# The channels an operator records when entering a report by hand.
OPERATOR_CHANNELS = [Channel.PHONE, Channel.SMS, Channel.EMAIL, Channel.WALK_IN, Channel.PARTNER]


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_TRIAGE = "in_triage", _("In triage")
    NEEDS_INFORMATION = "needs_information", _("Needs information")
    REFERRED = "referred", _("Referred")
    ESCALATED = "escalated", _("Escalated")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [status for status in Status if status != Status.CLOSED]

# The workflow: from each status, where a report may go next.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.IN_TRIAGE, Status.NEEDS_INFORMATION, Status.CLOSED}),
    Status.IN_TRIAGE: frozenset({Status.NEEDS_INFORMATION, Status.REFERRED, Status.ESCALATED, Status.CLOSED}),
    Status.NEEDS_INFORMATION: frozenset({Status.IN_TRIAGE, Status.REFERRED, Status.ESCALATED, Status.CLOSED}),
    Status.REFERRED: frozenset({Status.IN_TRIAGE, Status.ESCALATED, Status.CLOSED}),
    Status.ESCALATED: frozenset({Status.IN_TRIAGE, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.IN_TRIAGE}),
}


class Outcome(models.TextChoices):
    ACTIONABLE = "actionable", _("Actionable")
    NOT_ACTIONABLE = "not_actionable", _("Not actionable")
    DUPLICATE = "duplicate", _("Duplicate of another report")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")


class PublicStatus(models.TextChoices):
    """What an anonymous reporter sees: coarse on purpose."""

    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("In review")
    HANDED_OVER = "handed_over", _("Being handled by a child-protection organisation")
    CLOSED = "closed", _("Closed")


class Urgency(models.IntegerChoices):
    LOW = Level.LOW, _("Low")
    MEDIUM = Level.MEDIUM, _("Medium")
    HIGH = Level.HIGH, _("High")
    CRITICAL = Level.CRITICAL, _("Critical")


class Danger(models.TextChoices):
    YES = "yes", _("Yes, a child is in danger right now")
    NO = "no", _("No")
    UNSURE = "unsure", _("I am not sure")


class Occurred(models.TextChoices):
    NOW = "now", _("It is happening now")
    TODAY = "today", _("Earlier today")
    THIS_WEEK = "this_week", _("In the last 7 days")
    THIS_MONTH = "this_month", _("In the last month")
    EARLIER = "earlier", _("More than a month ago")
    UNKNOWN = "unknown", _("I don't know")


class Relation(models.TextChoices):
    SELF = "self", _("It is about me")
    FAMILY = "family", _("Family member")
    FRIEND = "friend", _("Friend")
    TEACHER = "teacher", _("Teacher or school staff")
    PROFESSIONAL = "professional", _("Social, health or other professional")
    NEIGHBOUR = "neighbour", _("Neighbour")
    WITNESS = "witness", _("I saw or heard something")
    ONLINE = "online", _("I saw something online")
    OTHER = "other", _("Other")
    UNSAID = "unsaid", _("I prefer not to say")


class Gender(models.TextChoices):
    """HTCDS ``prs_Gender`` values, in plain words."""

    FEMININE = "Feminine", _("Girl or woman")
    MASCULINE = "Masculine", _("Boy or man")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender girl or woman")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender boy or man")
    NON_CONFORMING = "NonConforming", _("Another gender")
    UNKNOWN = "NonSpecifiedUnknown", _("Don't know")


class ExploitationType(models.TextChoices):
    """The public form's answers: the HTCDS ``vic_TypeOfExploitation`` values (the one definition
    is ``safeguard.core.picklists.ExploitationType``) in plain words, plus "don't know"."""

    FORCED_LABOUR = HtcdsExploitationType.FORCED_LABOUR.value, _("Forced labour")
    SEXUAL_EXPLOITATION = HtcdsExploitationType.SEXUAL_EXPLOITATION.value, _("Sexual exploitation")
    CHILD_LABOUR = HtcdsExploitationType.CHILD_LABOUR.value, _("Child labour")
    FORCED_MARRIAGE = HtcdsExploitationType.FORCED_MARRIAGE.value, _("Forced marriage")
    SERVITUDE = HtcdsExploitationType.SERVITUDE.value, _("Servitude (domestic or other)")
    FORCED_MILITARY = (
        HtcdsExploitationType.FORCED_MILITARY_BY_NON_STATE_ACTORS.value,
        _("Forced to serve armed groups"),
    )
    ORGAN_REMOVAL = HtcdsExploitationType.ORGAN_REMOVAL.value, _("Organ removal")
    FORCED_BEGGING = HtcdsExploitationType.FORCED_BEGGING.value, _("Forced begging")
    FORCED_ADOPTION = HtcdsExploitationType.FORCED_ADOPTION.value, _("Forced adoption")
    SURROGACY = HtcdsExploitationType.SURROGACY.value, _("Surrogacy")
    OTHER = HtcdsExploitationType.OTHER.value, _("Other")
    DONT_KNOW = "DontKnow", _("Don't know")


class Indicator(models.TextChoices):
    """The ILO's 11 indicators of forced labour and child-specific signs, in plain words."""

    ABUSE_OF_VULNERABILITY = (
        "abuse_of_vulnerability",
        _("Someone is taking advantage of their difficult situation (no money, no papers, no family)"),
    )
    DECEPTION = "deception", _("They were lied to about the work, the pay or the conditions")
    RESTRICTION_OF_MOVEMENT = "restriction_of_movement", _("They cannot come and go freely, or are locked in")
    ISOLATION = "isolation", _("They are kept away from family, friends or other people")
    PHYSICAL_SEXUAL_VIOLENCE = "physical_sexual_violence", _("They are hit, hurt or sexually abused")
    INTIMIDATION_THREATS = "intimidation_threats", _("They or their family are threatened")
    RETENTION_OF_DOCUMENTS = "retention_of_documents", _("Someone else keeps their passport or ID papers")
    WITHHOLDING_OF_WAGES = "withholding_of_wages", _("They are not paid, or someone else takes their pay")
    DEBT_BONDAGE = "debt_bondage", _("They must work to pay off a debt that never goes away")
    ABUSIVE_CONDITIONS = "abusive_conditions", _("They work or live in dirty, crowded or dangerous places")
    EXCESSIVE_OVERTIME = "excessive_overtime", _("They work very long hours with few or no days off")
    OUT_OF_SCHOOL = "out_of_school", _("A child is not going to school")
    UNRELATED_ADULT_SPEAKS = (
        "unrelated_adult_speaks",
        _("A child is with an adult who is not family and who speaks for them"),
    )
    NO_CONTROL_OF_DOCUMENTS = "no_control_of_documents", _("A child does not hold their own ID papers")
    SIGNS_OF_ABUSE = "signs_of_abuse", _("A child shows signs of abuse: injuries, fear, hunger")
    VENUE_COMMERCIAL = (
        "venue_commercial",
        _("A child is seen where sex is sold, or working in a bar, factory, farm or on the street"),
    )
    RECRUITED_ABROAD = "recruited_abroad", _("A child was promised work or study in another place or country")


ILO_INDICATORS = list(Indicator)[:11]
CHILD_INDICATORS = list(Indicator)[11:]


class IdentifierKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("E-mail address")
    HANDLE = "handle", _("Social-media handle")
    URL = "url", _("Web address")
    PLATE = "plate", _("Vehicle plate")


class EscalationOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting outcome")
    INVESTIGATION_OPENED = "investigation_opened", _("Investigation opened")
    INTELLIGENCE_ONLY = "intelligence_only", _("Kept as intelligence")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Passed to another authority")
    NO_FURTHER_ACTION = "no_further_action", _("No further action")


class NotificationKind(models.TextChoices):
    CRITICAL = "critical", _("Critical report")
    ROUTED = "routed", _("Report routed to your organisation")
    ESCALATED = "escalated", _("Escalation received")
    ESCALATION_OUTCOME = "escalation_outcome", _("Escalation outcome returned")
    REPORTER_REPLIED = "reporter_replied", _("The reporter answered")
    HANDOVER_ACCEPTED = "handover_accepted", _("Hand-over accepted")
    HANDOVER_DECLINED = "handover_declined", _("Hand-over declined and returned to you")
    HANDOVER_CASE_OPENED = "handover_case_opened", _("A case was opened from your hand-over")
    HANDOVER_CLOSED = "handover_closed", _("Hand-over closed with an outcome")
    DUTY_OVERDUE = "duty_overdue", _("A legal reporting duty is overdue")


# The hand-over steps the sending (or, for ``ROUTED``, the receiving) organisation is told of.
HANDOVER_NOTICES = frozenset(
    {
        NotificationKind.ROUTED,
        NotificationKind.HANDOVER_ACCEPTED,
        NotificationKind.HANDOVER_DECLINED,
        NotificationKind.HANDOVER_CASE_OPENED,
        NotificationKind.HANDOVER_CLOSED,
    }
)


class HandoverStatus(models.TextChoices):
    """One hand-over between organisations: offered → accepted or declined → outcome.

    The same words as referrals (pending/accepted/declined/completed), transfers and
    escalations (outcome) use, for a report routed to another organisation.
    """

    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CASE_OPENED = "case_opened", _("Case opened")
    CLOSED = "closed", _("Closed with an outcome")


class HandoverOutcome(models.TextChoices):
    """How a hand-over ended, as the sending organisation is told (never the case's content)."""

    CASE_CLOSED = "case_closed", _("The case was closed")
    HANDLED = "handled", _("Handled without opening a case")
    NOT_ACTIONABLE = "not_actionable", _("Not actionable")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")


# A hand-over the receiving organisation is still working on (it is in its queue).
OPEN_HANDOVERS = [HandoverStatus.OFFERED, HandoverStatus.ACCEPTED, HandoverStatus.CASE_OPENED]
# A hand-over the receiving organisation accepted and may act on (notes, questions, a case).
WORKING_HANDOVERS = [HandoverStatus.ACCEPTED, HandoverStatus.CASE_OPENED]
