"""The team hub as the command line and the app use it: a data folder's connection,
its status, and publishing and pulling with the time of the last of each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.bundle.export import stamp
from app.errors import HubError
from app.hub.admin import Member, unsafe_reason
from app.hub.connection import (
    HUB_REVISION,
    NOTHING_CHANGED,
    HubSettings,
    connected,
    create_hub_engine,
    forget_password,
    keep_password,
    keyring_account,
    load_settings,
    parse_url,
    reaching,
    save_settings,
    shown,
    update_settings,
)
from app.hub.sync import PublishResult, PullResult, own_profile_ids, publish, pull, withdraw

if TYPE_CHECKING:
    from app.services import Services


@dataclass(frozen=True)
class HubStatus:
    url: str
    login: str
    member: Member | None  # None: the login is not (or no longer) a member
    revision: str | None
    head: str
    published: int  # your profiles on the hub
    readable: int  # others' profiles this login may read
    settings: HubSettings
    unsafe: str | None  # why this login sees past the hub's rules, if it does

    def lines(self, when: Callable[[str | None], str] | None = None) -> list[str]:
        """What a person reads; `when` words a stamp of the last publish or pull (the app
        shows local times), else the stamp itself or "never"."""
        when = when or (lambda moment: moment or "never")
        who = (
            f"{self.member.name} ({', '.join(self.member.roles)})"
            if self.member
            else "not a member of this hub"
        )
        revision = (
            f"{self.revision}, up to date"
            if self.revision == self.head
            else f"{self.revision}; this Rung expects {self.head}: its admin runs 'rung hub init'"
        )
        return [
            f"Hub: {self.url} (revision {revision})",
            f"Login: {self.login}, {who}",
            f"Your profiles on the hub: {self.published}; others' you may read: {self.readable}",
            f"Last publish: {when(self.settings.last_publish)}; "
            f"last pull: {when(self.settings.last_pull)}",
            "Publishes after each finalised check-in: "
            + ("yes" if self.settings.publish_after_finalise else "no"),
            "Password: "
            + (
                "kept in this computer's keyring"
                if self.settings.password_in_keyring
                else "libpq's (~/.pgpass or PGPASSWORD), if the hub asks for one"
            ),
            *([f"Warning: this login {self.unsafe}, so the hub's rules do not bind it."]
              if self.unsafe else []),
        ]  # fmt: skip


def withdrawn_text(removed: int, name: str | None = None) -> str:
    """What a withdrawal did, for a person (`name`: the one profile asked for)."""
    if not removed:
        which = f"{name} is not" if name else "None of your profiles is"
        return f"{which} on the hub; nothing was changed."
    one = removed == 1
    them = "it" if one else "them"
    return (
        f"Withdrew {removed} {'profile' if one else 'profiles'} from the hub, with "
        f"{'its' if one else 'their'} records and the assessments of {them}; your data here "
        f"is unchanged, and a publish puts {them} back."
    )


class HubService:
    """One data folder's use of its hub (`services.store.data_dir`'s `hub.json`)."""

    def __init__(self, services: Services) -> None:
        self._services = services

    @property
    def _data_dir(self) -> Path:
        return self._services.store.data_dir

    def settings(self) -> HubSettings | None:
        return load_settings(self._data_dir)

    def connect(
        self, url_text: str, *, publish_after_finalise: bool = False, password: str | None = None
    ) -> HubStatus:
        """Check the hub answers and this login is one of its members, then remember it here.

        `password`: tried first, then kept in the system's keyring (replacing one kept
        before); without one, a password kept for the same hub stays in use, and libpq's
        own places serve the rest. Nothing is kept or changed when the hub refuses or
        there is no keyring.
        """
        url = parse_url(url_text)
        previous = load_settings(self._data_dir)
        same = previous is not None and previous.url == shown(url)
        settings = HubSettings(
            shown(url),
            publish_after_finalise,
            previous.last_publish if previous is not None and same else None,
            previous.last_pull if previous is not None and same else None,
            password_in_keyring=password is not None
            or (previous is not None and same and previous.password_in_keyring),
        )
        status = self._status(settings, password=password)
        if status.revision is None:
            raise HubError(
                f"{status.url} holds no Rung hub yet: its admin creates one with 'rung hub init'."
            )
        if status.member is None:  # group roles are the server's: the directory says
            raise HubError(
                f"The login {status.login} is not a member of the hub at {status.url}: ask its "
                f"admin to add it with 'rung hub member add {status.login} --name …'; nothing "
                "was changed."
            )
        if password is not None:
            keep_password(self._account(settings), password)
        if previous is not None and previous.password_in_keyring and not same:
            forget_password(self._account(previous))  # the hub this folder leaves
        save_settings(self._data_dir, settings)
        return status

    def forget_password(self) -> bool:
        """Remove this folder's hub password from the keyring (without asking the hub);
        whether one was kept. libpq's own places serve from now on."""
        settings = connected(self._data_dir)
        forget_password(self._account(settings))
        if settings.password_in_keyring:
            update_settings(self._data_dir, password_in_keyring=False)
        return settings.password_in_keyring

    def _account(self, settings: HubSettings) -> str:
        return keyring_account(self._data_dir, settings.url)

    def _keyring(self, settings: HubSettings) -> str | None:
        """The keyring account a sync takes the password from, if one is kept there."""
        return self._account(settings) if settings.password_in_keyring else None

    def remember(self, url_text: str) -> None:
        """Remember a hub without checking who this login is (the admin, after `init`); a
        password kept for another hub is forgotten, as connecting does."""
        url = shown(parse_url(url_text))
        previous = load_settings(self._data_dir)
        if previous is not None and previous.password_in_keyring and previous.url != url:
            forget_password(self._account(previous))
        keep = previous is not None and previous.url == url and previous.password_in_keyring
        save_settings(self._data_dir, HubSettings(url, password_in_keyring=keep))

    def set_publish_after_finalise(self, on: bool) -> HubSettings:
        return update_settings(self._data_dir, publish_after_finalise=on)

    def status(self) -> HubStatus:
        return self._status(connected(self._data_dir))

    def _status(self, settings: HubSettings, *, password: str | None = None) -> HubStatus:
        url = parse_url(settings.url)
        engine = create_hub_engine(url, keyring=self._keyring(settings), password=password)
        try:
            with reaching(url, afterwards=NOTHING_CHANGED), engine.connect() as connection:
                login, hub, member = connection.exec_driver_sql(
                    "SELECT current_user, to_regnamespace('rung_hub') IS NOT NULL, "
                    "CASE WHEN to_regrole('rung_hub_member') IS NULL THEN false "
                    "ELSE pg_has_role('rung_hub_member', 'USAGE') END"
                ).one()
                if hub and not member:
                    raise HubError(
                        f"The login {login} is not a member of the hub at {shown(url)}: ask its "
                        f"admin to add it with 'rung hub member add {login} --name …'."
                    )
                if not hub:
                    return HubStatus(
                        shown(url), login, None, None, HUB_REVISION, 0, 0, settings, None
                    )
                revision = connection.exec_driver_sql(
                    "SELECT version_num FROM rung_hub.alembic_version"
                ).scalar()
                row = connection.exec_driver_sql(
                    "SELECT login, name, roles, manager FROM rung_hub.members "
                    "WHERE login = current_user"
                ).one_or_none()
                mine, others = connection.exec_driver_sql(
                    "SELECT count(*) FILTER (WHERE owner_login = current_user), "
                    "count(*) FILTER (WHERE owner_login <> current_user) FROM rung_hub.profiles"
                ).one()
                unsafe = unsafe_reason(connection, login)
        finally:
            engine.dispose()
        member = Member(row[0], row[1], tuple(row[2]), row[3]) if row else None
        return HubStatus(
            shown(url), login, member, revision, HUB_REVISION, mine, others, settings, unsafe
        )

    def publish(self, profile_ids: list[str] | None = None) -> PublishResult:
        """Publish your profiles (all of them, or these) and note the time."""
        settings = connected(self._data_dir)
        ids = own_profile_ids(self._services, profile_ids)
        url, keyring = parse_url(settings.url), self._keyring(settings)
        result = publish(self._services, url, ids, keyring=keyring)
        update_settings(self._data_dir, last_publish=stamp(datetime.now(UTC)))
        return result

    def publish_if_wanted(self) -> PublishResult | None:
        """After a finalised check-in: publish when this folder asked for it, else None."""
        settings = load_settings(self._data_dir)
        if settings is None or not settings.publish_after_finalise:
            return None
        return self.publish()

    def withdraw(self, profile_ids: list[str] | None = None) -> int:
        """Remove your published profiles (all, or these) from the hub; how many."""
        settings = connected(self._data_dir)
        url = parse_url(settings.url)
        return withdraw(url, profile_ids, keyring=self._keyring(settings))

    def pull(self) -> PullResult:
        settings = connected(self._data_dir)
        result = pull(self._services, parse_url(settings.url), keyring=self._keyring(settings))
        update_settings(self._data_dir, last_pull=stamp(datetime.now(UTC)))
        return result
