"""Demo units and accounts. Names are invented; every password is the same demo password,
printed by `make run`."""

from django.contrib.auth.hashers import make_password

from .models import QualificationLevel, Unit, UnitKind, User
from .roles import Role, assign_role, sync_roles

DEMO_PASSWORD = "fazhi-demo-2026"

UNITS = [
    # (code, name, kind, parent code)
    ("D", "示例市公安局", UnitKind.BUREAU, None),
    ("D01", "法制大队", UnitKind.BRIGADE, "D"),
    ("D02", "治安管理大队", UnitKind.BRIGADE, "D"),
    ("D0201", "巡逻防控中队", UnitKind.TEAM, "D02"),
    ("D03", "交通警察大队", UnitKind.BRIGADE, "D"),
    ("D04", "刑事侦查大队", UnitKind.BRIGADE, "D"),
    ("D05", "城关派出所", UnitKind.STATION, "D"),
    ("D06", "河西派出所", UnitKind.STATION, "D"),
]

# (police number, name, unit code, position, qualification, role)
PEOPLE = [
    ("admin", "系统管理员", "D", "信息通信科", QualificationLevel.NONE, Role.SITE_ADMIN),
    ("900001", "周法宁", "D01", "法制员", QualificationLevel.ADVANCED, Role.LEGAL_STAFF),
    ("900002", "吴审之", "D01", "法制大队大队长", QualificationLevel.ADVANCED, Role.LEGAL_STAFF),
    ("900003", "郑明理", "D05", "所长", QualificationLevel.INTERMEDIATE, Role.UNIT_LEADER),
    ("900004", "冯治安", "D02", "大队长", QualificationLevel.INTERMEDIATE, Role.UNIT_LEADER),
]
OFFICER_NAMES = [
    "王建军",
    "李晓东",
    "张立伟",
    "刘海峰",
    "陈志强",
    "杨光明",
    "赵永刚",
    "黄文斌",
    "周海涛",
    "吴国庆",
    "徐卫东",
    "孙红梅",
    "马俊杰",
    "朱丽娟",
    "胡振华",
    "郭子豪",
    "何静怡",
    "林思远",
    "罗晓燕",
    "高鹏飞",
]
OFFICER_UNITS = [
    "D05",
    "D05",
    "D05",
    "D05",
    "D06",
    "D06",
    "D06",
    "D06",
    "D0201",
    "D0201",
    "D0201",
    "D02",
    "D03",
    "D03",
    "D03",
    "D04",
    "D04",
    "D04",
    "D05",
    "D06",
]
OFFICER_LEVELS = (
    [QualificationLevel.BASIC] * 12
    + [QualificationLevel.NONE] * 5
    + [QualificationLevel.INTERMEDIATE] * 3
)


def officer_numbers() -> list[str]:
    return [f"10{i:04d}" for i in range(1, len(OFFICER_NAMES) + 1)]


def load(*, stdout) -> None:
    sync_roles()
    units = {}
    for code, name, kind, parent in UNITS:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            unit = (
                Unit.add_root(code=code, name=name, kind=kind)
                if parent is None
                else Unit.objects.get(code=parent).add_child(code=code, name=name, kind=kind)
            )
        units[code] = unit
    people = list(PEOPLE) + [
        (number, name, unit, "民警", level, Role.OFFICER)
        for number, name, unit, level in zip(
            officer_numbers(), OFFICER_NAMES, OFFICER_UNITS, OFFICER_LEVELS, strict=True
        )
    ]
    created = 0
    hashed = make_password(DEMO_PASSWORD)  # hash once: the same demo password for everyone
    for number, name, unit_code, position, level, role in people:
        user = User.objects.filter(username=number).first()
        if user is None:
            user = User(username=number, police_number=None if number == "admin" else number)
            user.password = hashed
            created += 1
        user.full_name = name
        user.unit = Unit.objects.get(code=unit_code)
        user.position = position
        if user._state.adding:
            user.qualification_level = level
        if role == Role.SITE_ADMIN:
            user.is_superuser = True
            user.is_staff = True
        user.save()
        assign_role(user, role)
        if role in (Role.UNIT_LEADER, Role.LEGAL_STAFF):
            assign_role(user, Role.OFFICER)
    stdout.write(f"  units: {len(units)}, accounts: {len(people)} ({created} new)")
