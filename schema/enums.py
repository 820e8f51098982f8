"""GraphQL enums mirroring the domain's statuses, actions and vocal genders."""

from __future__ import annotations

import enum

import strawberry

from suno.models import AccountState as DomainAccountState
from suno.models import TaskAction as DomainTaskAction
from suno.models import TaskStatus as DomainTaskStatus
from suno.models import VocalGender as DomainVocalGender


@strawberry.enum(
    description="Where a task is in its life; SUCCESS and FAILURE are terminal and never change."
)
class TaskStatus(enum.Enum):
    NOT_START = strawberry.enum_value(
        DomainTaskStatus.NOT_START.value, description="Stored, waiting for a free Suno account."
    )
    SUBMITTED = strawberry.enum_value(DomainTaskStatus.SUBMITTED.value, description="Accepted by Suno.")
    QUEUED = strawberry.enum_value(DomainTaskStatus.QUEUED.value, description="Waiting in Suno's queue.")
    IN_PROGRESS = strawberry.enum_value(
        DomainTaskStatus.IN_PROGRESS.value, description="Suno is generating (audio may already stream)."
    )
    SUCCESS = strawberry.enum_value(
        DomainTaskStatus.SUCCESS.value, description="Finished; the result is ready."
    )
    FAILURE = strawberry.enum_value(
        DomainTaskStatus.FAILURE.value, description="Ended without a result; see failReason."
    )


@strawberry.enum(description="What a task makes.")
class TaskAction(enum.Enum):
    MUSIC = strawberry.enum_value(DomainTaskAction.MUSIC.value, description="Songs (two clips per task).")
    LYRICS = strawberry.enum_value(DomainTaskAction.LYRICS.value, description="Lyrics only.")
    EXTEND = strawberry.enum_value(DomainTaskAction.EXTEND.value, description="An extension of a clip.")
    COVER = strawberry.enum_value(DomainTaskAction.COVER.value, description="A cover of a clip.")
    CONCAT = strawberry.enum_value(
        DomainTaskAction.CONCAT.value, description="The whole song: a clip and its extensions as one."
    )
    STEMS = strawberry.enum_value(
        DomainTaskAction.STEMS.value, description="A clip's stems (twelve, or one group)."
    )
    REMASTER = strawberry.enum_value(DomainTaskAction.REMASTER.value, description="A remaster of a clip.")
    ADD_VOCALS = strawberry.enum_value(
        DomainTaskAction.ADD_VOCALS.value, description="Vocals on an instrumental."
    )
    ADD_INSTRUMENTAL = strawberry.enum_value(
        DomainTaskAction.ADD_INSTRUMENTAL.value, description="An instrumental under a clip's vocals."
    )
    UPLOAD = strawberry.enum_value(DomainTaskAction.UPLOAD.value, description="Your audio, become a clip.")
    VIDEO = strawberry.enum_value(DomainTaskAction.VIDEO.value, description="A music video of a clip.")
    ALIGNED_LYRICS = strawberry.enum_value(
        DomainTaskAction.ALIGNED_LYRICS.value, description="Timed lyrics of a clip."
    )


@strawberry.enum(description='The singer\'s voice; appends "female vocals" or "male vocals" to the tags.')
class VocalGender(enum.Enum):
    FEMALE = strawberry.enum_value(DomainVocalGender.FEMALE.value, description="A female voice.")
    MALE = strawberry.enum_value(DomainVocalGender.MALE.value, description="A male voice.")


@strawberry.enum(description="An account's health; every change is an accountEvents event.")
class AccountState(enum.Enum):
    HEALTHY = strawberry.enum_value(DomainAccountState.HEALTHY.value, description="Takes songs.")
    CHALLENGE_REQUIRED = strawberry.enum_value(
        DomainAccountState.CHALLENGE_REQUIRED.value,
        description="Suno asks for a captcha before generating (challengeProvider says which); songs wait "
        "for a solution when CAPTCHA_SOLVER is set.",
    )
    REAUTH_REQUIRED = strawberry.enum_value(
        DomainAccountState.REAUTH_REQUIRED.value,
        description="The login expired: give a fresh cookie (updateAccount or ACCOUNTS_FILE).",
    )
    OUT_OF_CREDITS = strawberry.enum_value(
        DomainAccountState.OUT_OF_CREDITS.value, description="Too few credits for a song."
    )
    RATE_LIMITED = strawberry.enum_value(
        DomainAccountState.RATE_LIMITED.value,
        description="Suno asked to slow down; stateReason says until when.",
    )
    DOWNLOADS_LOW = strawberry.enum_value(
        DomainAccountState.DOWNLOADS_LOW.value,
        description="Few downloads of the plan's allowance left (below ASSET_DOWNLOAD_RESERVE plus a margin).",
    )


# Domain member → GraphQL member, made once: calling an Enum by value costs about a microsecond, and
# every task snapshot (each subscriber's included) maps two or three of them.
TASK_STATUS_OF = {domain: TaskStatus(domain.value) for domain in DomainTaskStatus}
TASK_ACTION_OF = {domain: TaskAction(domain.value) for domain in DomainTaskAction}
VOCAL_GENDER_OF = {domain: VocalGender(domain.value) for domain in DomainVocalGender}
