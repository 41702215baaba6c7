"""Creating accounts (`banzu users add`): one role each, Argon2-hashed password, on the audit trail."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from pipeline.store.audit import ROLES


class UserError(ValueError):
    """Refused with a Chinese message."""


def add_user(name: str, role: str, password: str) -> None:
    name = name.strip()
    if not name:
        raise UserError("用户名不能为空")
    if role not in ROLES:
        raise UserError(f"角色只能是：{'、'.join(f'{k}（{v}）' for k, v in ROLES.items())}")
    User = get_user_model()  # noqa: N806
    if User.objects.filter(username=name).exists():
        raise UserError(f"用户 {name} 已存在")
    user = User(username=name, is_staff=False, is_superuser=False)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise UserError("密码不符合要求：" + "；".join(error.messages)) from None
    with transaction.atomic():
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get_or_create(name=role)[0])
