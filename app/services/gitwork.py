"""Evidence proposed from the user's own git history: scanning, accepting, dismissing.

Scanning reads a repository (commit metadata and changed paths only, see
`app.gitwork`) and writes nothing. Accepting stores each proposal as an
evidence entry once: the decision is kept with the proposal's stable id
(`git_proposals`), so running again over the same period adds nothing twice
and a dismissed proposal does not come back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dates import check_date
from app.errors import InvalidInputError
from app.gitwork.proposals import Proposal, Scan
from app.services.evidence import EvidenceService, Tag
from app.services.frameworks import FrameworkService
from app.services.identity import IdentityService, _email
from app.services.profiles import ProfileService, check_editable
from app.store.db import Store
from app.store.models import Evidence, EvidenceTag, GitProposal
from app.text import TEXT_MAX

DEFAULT_DAYS = 90  # the period when no start is given: the last quarter


@dataclass(frozen=True)
class ProposalEdit:
    """What the user changed of a proposal before accepting it (None: as proposed)."""

    title: str | None = None
    description: str | None = None
    tags: tuple[Tag, ...] | None = None
    private: bool = False


@dataclass(frozen=True)
class GitScan:
    """A scan and what this profile already decided about its proposals."""

    scan: Scan
    repository: str
    decided: dict[str, str] = field(default_factory=dict)  # proposal id → decision
    emails: tuple[str, ...] = ()

    @property
    def new(self) -> list[Proposal]:
        return [p for p in self.scan.proposals if p.id not in self.decided]


def period(since: date | None, until: date | None, today: date) -> tuple[date, date]:
    """The period to read: `since`…`until`, by default the 90 days up to today."""
    end = until or today
    start = since or end - timedelta(days=DEFAULT_DAYS)
    check_date(start, "start date")
    check_date(end, "end date")
    if start > end:
        raise InvalidInputError(
            f"The start date {start.isoformat()} is after the end date {end.isoformat()}."
        )
    return start, end


class GitWorkService:
    def __init__(
        self,
        store: Store,
        frameworks: FrameworkService,
        profiles: ProfileService,
        evidence: EvidenceService,
        identity: IdentityService,
    ) -> None:
        self._store = store
        self._frameworks = frameworks
        self._profiles = profiles
        self._evidence = evidence
        self._identity = identity

    def emails(self, authors: Iterable[str]) -> tuple[str, ...]:
        """The user's author emails, lower case: the owner identity's and the aliases given."""
        found: dict[str, None] = {}
        owner = self._identity.get()
        if owner is not None and owner.email:
            found[owner.email.lower()] = None
        for author in authors:
            found[_email(author.strip()).lower()] = None
        if not found:
            raise InvalidInputError(
                "Rung does not know which commits are yours: set your email with "
                "'rung whoami --email EMAIL' or give '--author EMAIL'."
            )
        return tuple(found)

    def scan(
        self,
        profile_id: str,
        repository: Path,
        *,
        since: date | None = None,
        until: date | None = None,
        authors: Iterable[str] = (),
        today: date | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        link_template: str | None = None,
    ) -> GitScan:
        """Read `repository` and propose evidence for the user's work in the period;
        `link_template` links the commits of a forge Rung does not know (see
        `check_link_template`)."""
        from app.gitwork.history import open_repository
        from app.gitwork.proposals import check_link_template, propose
        from app.gitwork.rules import load_rules

        start, end = period(since, until, today or date.today())
        template = check_link_template(link_template) if link_template is not None else None
        emails = self.emails(authors)
        profile = self._profiles.get(profile_id)
        stage = profile.stage_on(end)
        framework = self._frameworks.get(stage.framework, stage.framework_version)
        rules = load_rules(stage.framework, self._store.data_dir)
        repo = open_repository(repository)
        scan = propose(
            repo,
            since=start,
            until=end,
            emails=frozenset(emails),
            rules=rules,
            known=framework.taggable(),
            cancelled=cancelled,
            link_template=template,
        )
        ids = [p.id for p in scan.proposals]
        with self._store.session() as session:
            decided = {
                row.proposal_id: row.decision
                for row in session.scalars(
                    select(GitProposal).where(
                        GitProposal.profile_id == profile_id, GitProposal.proposal_id.in_(ids)
                    )
                )
            }
        return GitScan(scan, str(repo.path), decided, emails)

    def accept(
        self,
        profile_id: str,
        repository: str,
        proposals: Iterable[Proposal],
        edits: dict[str, ProposalEdit] | None = None,
    ) -> int:
        """Store the proposals not decided yet as evidence, in one transaction; how many."""
        edits = edits or {}
        entries: list[tuple[Proposal, ProposalEdit]] = []
        for proposal in proposals:
            edit = edits.get(proposal.id, ProposalEdit())
            entries.append((proposal, edit))
        checked = []
        for proposal, edit in entries:
            text = edit.description if edit.description is not None else proposal.description
            tags = edit.tags if edit.tags is not None else tuple(Tag(*t) for t in proposal.tags)
            title, description, link = self._evidence._check_fields(
                proposal.date,
                edit.title if edit.title is not None else proposal.title,
                text[:TEXT_MAX] if text else None,
                proposal.link,
            )
            self._evidence._check_tags(profile_id, proposal.date, tags)
            checked.append((proposal, title, description, link, tags, edit.private))
        added = 0
        with self._store.session() as session:
            check_editable(session, profile_id)
            self._profiles.get(profile_id)
            done = self._decided(session, profile_id, [c[0].id for c in checked])
            for proposal, title, description, link, tags, private in checked:
                if proposal.id in done:
                    continue
                row = Evidence(
                    profile_id=profile_id,
                    date=proposal.date,
                    title=title,
                    description=description,
                    link=link,
                    private=private,
                    tags=[EvidenceTag(kind=t.kind, ref=t.ref) for t in dict.fromkeys(tags)],
                )
                session.add(row)
                session.flush()
                session.add(
                    GitProposal(
                        profile_id=profile_id,
                        proposal_id=proposal.id,
                        repository=repository,
                        decision="accepted",
                        evidence_id=row.id,
                    )
                )
                done.add(proposal.id)
                added += 1
        return added

    def dismiss(self, profile_id: str, repository: str, proposal_ids: Iterable[str]) -> int:
        """Remember that these proposals were dismissed, so they are not proposed again."""
        with self._store.session() as session:
            check_editable(session, profile_id)
            ids = list(dict.fromkeys(proposal_ids))
            done = self._decided(session, profile_id, ids)
            fresh = [i for i in ids if i not in done]
            for proposal_id in fresh:
                session.add(
                    GitProposal(
                        profile_id=profile_id,
                        proposal_id=proposal_id,
                        repository=repository,
                        decision="dismissed",
                    )
                )
        return len(fresh)

    @staticmethod
    def _decided(session: Session, profile_id: str, ids: list[str]) -> set[str]:
        return set(
            session.scalars(
                select(GitProposal.proposal_id).where(
                    GitProposal.profile_id == profile_id, GitProposal.proposal_id.in_(ids)
                )
            )
        )
