"""The expert pool in the store: importing the workbook, editing one expert, reading the pool."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from grading.model import Expert
from pipeline.store import utcnow
from pipeline.store.audit import audit_in
from pipeline.store.grading.base import GradingBase, GradingError, require_secretariat, to_expert
from pipeline.store.grading_tables import ExpertRecord
from pipeline.store.review import Actor


class ExpertPool(GradingBase):
    """The pool of experts, not tied to a year: what every draw starts from."""

    def import_experts(self, experts: Iterable[Expert], actor: Actor, source: str = "") -> dict[str, int]:
        """Add new experts and update known ones (by key); experts not in the workbook stay as they are."""
        require_secretariat(actor)
        added, updated = [], []
        with self.writing() as s:
            for e in experts:
                row = s.get(ExpertRecord, e.key)
                values = e.model_dump(exclude={"key"})
                if row is None:
                    s.add(ExpertRecord(key=e.key, updated_at=utcnow(), **values))
                    added.append(e.key)
                elif to_expert(row) != e:
                    for k, v in values.items():
                        setattr(row, k, v)
                    row.updated_at = utcnow()
                    updated.append(e.key)
            audit_in(s, actor, "expert_pool_import", "expert_pool", source or "专家库", year=None,
                     after={"added": added, "updated": updated})
        return {"added": len(added), "updated": len(updated)}

    def update_expert(self, key: str, actor: Actor, reason: str, **changes: object) -> Expert:
        """Edit one expert (period, registration, company, declared 回避单位, web account…); the trail keeps both."""
        require_secretariat(actor)
        allowed = set(Expert.model_fields) - {"key"} | {"account"}
        unknown = set(changes) - allowed
        if unknown:
            raise GradingError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
        with self.writing() as s:
            row = s.get(ExpertRecord, key)
            if row is None:
                raise GradingError(f"专家库中没有 {key}")
            before = to_expert(row).model_dump(mode="json") | {"account": row.account}
            for k, v in changes.items():
                setattr(row, k, v)
            row.updated_at = utcnow()
            after = to_expert(row).model_dump(mode="json") | {"account": row.account}
            Expert.model_validate(after)
            audit_in(s, actor, "expert_update", "expert", key, year=None, before=before, after=after, reason=reason)
            return to_expert(row)

    def experts(self) -> list[Expert]:
        with self.store.session() as s:
            return [to_expert(r) for r in s.scalars(select(ExpertRecord).order_by(ExpertRecord.key))]

    def expert_for_account(self, account: str) -> Expert | None:
        with self.store.session() as s:
            row = s.scalar(select(ExpertRecord).where(ExpertRecord.account == account))
            return to_expert(row) if row else None
