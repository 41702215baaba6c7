"""The workspace refuses what it must: anonymous visitors, the wrong role, forged forms, password guessing,
ids of other objects; and it serves sender files so that they are never rendered as pages."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import httpx

from tests.web.conftest import PASSWORD, YEAR, Served


def client(served: Served) -> httpx.Client:
    return httpx.Client(base_url=served.url, follow_redirects=False, timeout=60)


def csrf_of(c: httpx.Client, path: str) -> str:
    page = c.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def login(served: Served, name: str) -> httpx.Client:
    c = client(served)
    token = csrf_of(c, "/login/")
    r = c.post(
        "/login/", data={"username": name, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/"}
    )
    assert r.status_code == 302 and r.headers["location"] == "/", r.text[:500]
    return c


def paths(served: Served) -> dict[str, str]:
    """One URL of every view and download, for real objects of the run."""
    report = json.loads((served.out_dir / "completeness.json").read_text(encoding="utf-8"))
    unit = next(u["unit"] for u in report["units"] if u.get("source_file"))
    team = report["teams"][0]["team_id"]
    kind = next(k for k, v in report["teams"][0]["files"].items() if v)
    u, t, f = quote(unit), quote(team), served.strong_flag
    return {
        "home": "/",
        "roster": "/roster/",
        "teams": f"/{YEAR}/teams/",
        "unit": f"/{YEAR}/units/{u}/",
        "unit_original": f"/{YEAR}/units/{u}/original",
        "unit_page": f"/{YEAR}/units/{u}/pages/1.png",
        "team": f"/{YEAR}/teams/{t}/",
        "team_original": f"/{YEAR}/teams/{t}/files/{kind}",
        "team_page": f"/{YEAR}/teams/{t}/files/{kind}/pages/1.png",
        "flags": f"/{YEAR}/flags/",
        "flag": f"/{YEAR}/flags/{f}/",
        "flag_original": f"/{YEAR}/flags/{f}/a/original",
        "flag_page": f"/{YEAR}/flags/{f}/a/0.png",
        "audit": f"/{YEAR}/audit/",
        "audit_team": f"/{YEAR}/audit/team/{t}/",
        "export": f"/{YEAR}/exports/shortlist.xlsx",
    }


POSTS = {
    "followup": "/{y}/units/{u}/followup",
    "review": "/{y}/teams/{t}/review",
    "decide": "/{y}/flags/{f}/decide",
    "dismiss": "/{y}/team/{t}/dismiss",
    "logout": "/logout/",
}


def test_anonymous_visitors_get_the_login_form_and_nothing_else(served: Served) -> None:
    c = client(served)
    for name, path in paths(served).items():
        r = c.get(path)
        assert r.status_code == 302 and r.headers["location"].startswith("/login/?next="), (
            name,
            r.status_code,
        )
    p = paths(served)
    for path in (p["unit"] + "followup", p["team"] + "review", p["flag"] + "decide", "/logout/"):
        assert c.post(path, data={"decision": "passed"}).status_code == 403
    form = c.get("/login/")
    assert form.status_code == 200 and 'name="password"' in form.text


def test_session_cookie_is_httponly_and_samesite_and_pages_carry_a_strict_policy(served: Served) -> None:
    c = client(served)
    token = csrf_of(c, "/login/")
    r = c.post("/login/", data={"username": "王审", "password": PASSWORD, "csrfmiddlewaretoken": token})
    cookie = next(
        v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("banzu_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # plain HTTP here
    page = c.get("/")
    assert (
        "script-src" not in page.headers["content-security-policy"]
    )  # no scripts at all: default-src 'none'
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    https = c.get("/", headers={"X-Forwarded-Proto": "https"})  # not trusted unless configured
    assert https.status_code == 200


def test_roles_see_and_change_only_their_part(served: Served) -> None:
    p = paths(served)
    reviewer = login(served, "王审")
    for name in ("flags", "flag", "flag_original", "flag_page", "export"):
        assert reviewer.get(p[name]).status_code in (403, 404), name
    token = csrf_of(reviewer, p["team"])
    refused = reviewer.post(
        p["flag"] + "decide", data={"decision": "confirmed", "reason": "x", "csrfmiddlewaretoken": token}
    )
    assert refused.status_code == 403
    refused = reviewer.post(p["unit"] + "followup", data={"status": "notified", "csrfmiddlewaretoken": token})
    assert refused.status_code == 403
    officer = login(served, "赵纪")
    token = csrf_of(officer, p["flag"])
    assert (
        officer.post(
            p["team"] + "review", data={"decision": "passed", "csrfmiddlewaretoken": token}
        ).status_code
        == 403
    )
    expert = login(served, "钱专")
    assert "暂无待办" in expert.get("/").text
    for name in ("roster", "unit", "team", "unit_original", "team_page", "flags", "audit"):
        assert expert.get(p[name]).status_code == 403, name
    # nothing above was recorded
    from core.settings import Settings
    from pipeline.store import Store
    from pipeline.store.review import audit_entries

    trail = audit_entries(Store(Settings(home=served.home)), year=YEAR)
    assert not [
        e
        for e in trail
        if (e.actor, e.action)
        in {("王审", "decide_flag"), ("王审", "unit_followup"), ("赵纪", "decide_team")}
    ]


def test_post_without_csrf_token_is_refused(served: Served) -> None:
    officer = login(served, "赵纪")
    p = paths(served)
    r = officer.post(p["flag"] + "decide", data={"decision": "dismissed", "reason": "无令牌"})
    assert r.status_code == 403 and "请求被拒绝" in r.text
    forged = officer.post(
        p["flag"] + "decide",
        data={"decision": "dismissed", "reason": "假令牌", "csrfmiddlewaretoken": "x" * 64},
    )
    assert forged.status_code == 403
    assert "无令牌" not in officer.get(p["flag"]).text


def test_eleventh_wrong_password_in_a_minute_is_throttled(served: Served) -> None:
    c = client(served)
    token = csrf_of(c, "/login/")
    for _ in range(10):
        r = c.post(
            "/login/", data={"username": "孙试", "password": "wrong-password", "csrfmiddlewaretoken": token}
        )
        assert r.status_code == 401
    r = c.post(
        "/login/", data={"username": "孙试", "password": "wrong-password", "csrfmiddlewaretoken": token}
    )
    assert r.status_code == 429 and "一分钟后再试" in r.text
    right = c.post("/login/", data={"username": "孙试", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert right.status_code == 429  # even the right password waits out the minute
    other = login(served, "王审")  # other accounts are not locked out
    assert other.get("/").status_code == 200


def test_ids_and_paths_of_other_objects_are_refused(served: Served) -> None:
    p = paths(served)
    officer = login(served, "管理员")
    report = json.loads((served.out_dir / "completeness.json").read_text(encoding="utf-8"))
    from core.reference import recommending_units

    sent = {u["unit"] for u in report["units"] if u.get("source_file")}
    unsent = next(u.name for u in recommending_units() if u.name not in sent)
    missing_kind = next(
        (t["team_id"], k) for t in report["teams"] for k, v in t["files"].items() if v is None
    )
    for path in (
        f"/{YEAR}/units/{quote(unsent)}/original",  # a unit that sent nothing has no file
        f"/{YEAR}/teams/{quote(missing_kind[0])}/files/{missing_kind[1]}",  # a document the team did not send
        f"/{YEAR}/teams/{quote(missing_kind[0])}/files/..%2F..%2Fbanzu.sqlite3",
        f"/{YEAR}/units/..%2F..%2Fetc%2Fpasswd/original",
        f"/{YEAR}/units/不存在的单位/",
        p["team"].replace(f"/{YEAR}/", f"/{YEAR - 1}/"),
        f"/{YEAR}/flags/{served.strong_flag}/a/99.png",  # no such evidence passage
        f"/{YEAR}/flags/{served.strong_flag}/c/original",
        f"/{YEAR}/flags/0000000000000000/",
        p["unit_page"].replace("/1.png", "/999.png"),
        "/archive/",
    ):
        assert officer.get(path).status_code == 404, path


def test_originals_are_served_as_files_never_as_pages(served: Served) -> None:
    p = paths(served)
    officer = login(served, "管理员")
    pdf = officer.get(p["unit_original"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline") and pdf.content.startswith(b"%PDF")
    assert "sandbox" in pdf.headers["content-security-policy"]
    png = officer.get(p["unit_page"])
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
    # a file whose bytes are not a PDF or a common image is an attachment of no executable type
    report = json.loads((served.out_dir / "completeness.json").read_text(encoding="utf-8"))
    odd = [
        (t["team_id"], k)
        for t in report["teams"]
        for k, v in t["files"].items()
        if v and not v.lower().endswith((".pdf", ".png", ".jpg", ".jpeg"))
    ]
    assert odd, "the generated inbox has PPT reports"
    r = officer.get(f"/{YEAR}/teams/{quote(odd[0][0])}/files/{odd[0][1]}")
    assert r.status_code == 200 and r.headers["content-type"] == "application/octet-stream"
    assert (
        r.headers["content-disposition"].startswith("attachment")
        and r.headers["x-content-type-options"] == "nosniff"
    )


def test_sender_text_is_escaped(served: Served) -> None:
    officer = login(served, "赵纪")
    for path in (f"/{YEAR}/flags/{served.weak_flag}/", f"/{YEAR}/flags/?state=all"):
        page = officer.get(path)
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page.text


def test_secretariat_accepts_a_late_submission_with_a_reason(served: Served) -> None:
    p = paths(served)
    reviewer = login(served, "王审")
    token = csrf_of(reviewer, p["unit"])
    assert (
        "accept-late" not in reviewer.get(p["unit"]).text
        and "accept-late" in login(served, "李秘").get(p["unit"]).text
    )
    assert (
        reviewer.post(
            p["unit"].replace("/units/", "/unit/") + "accept-late",
            data={"reason": "x", "csrfmiddlewaretoken": token},
        ).status_code
        == 403
    )
    clerk = login(served, "李秘")
    token = csrf_of(clerk, p["unit"])
    refused = clerk.post(
        p["unit"].replace("/units/", "/unit/") + "accept-late",
        data={"reason": " ", "csrfmiddlewaretoken": token},
        follow_redirects=True,
    )
    assert "必须填写理由" in refused.text
    done = clerk.post(
        p["unit"].replace("/units/", "/unit/") + "accept-late",
        data={"reason": "邮件服务器故障，已核实发送时间", "csrfmiddlewaretoken": token},
        follow_redirects=True,
    )
    assert done.status_code == 200 and "接收逾期提交" in done.text and "邮件服务器故障" in done.text
