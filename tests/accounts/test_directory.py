"""Directory (LDAP / Active Directory) sign-in against a real slapd on loopback.

The fixture writes its own slapd configuration and database into a temporary folder,
loads a test entry with slapadd, runs slapd on a free port and stops it afterwards.
"""

import shutil
import socket
import subprocess
import time

import pytest
from sqlalchemy import select

from intranet.accounts.directory import directory_accepts
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import User

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SLAPADD = shutil.which("slapadd") or "/usr/sbin/slapadd"
SLAPPASSWD = shutil.which("slappasswd") or "/usr/sbin/slappasswd"
DIRECTORY_PASSWORD = "katalog-losenord-2026"
PEOPLE = "ou=people,dc=kommun,dc=example"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def slapd(tmp_path_factory):
    folder = tmp_path_factory.mktemp("slapd")
    (folder / "data").mkdir()
    config = folder / "slapd.conf"
    config.write_text(
        f"""include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile {folder}/slapd.pid
argsfile {folder}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "dc=kommun,dc=example"
rootdn "cn=admin,dc=kommun,dc=example"
rootpw {{CLEARTEXT}}not-used-here
directory {folder}/data
access to attrs=userPassword by anonymous auth by self write by * none
access to * by * read
"""
    )
    hashed = subprocess.run(
        [SLAPPASSWD, "-s", DIRECTORY_PASSWORD], capture_output=True, text=True, check=True
    ).stdout.strip()
    entries = folder / "entries.ldif"
    entries.write_text(
        f"""dn: dc=kommun,dc=example
objectClass: dcObject
objectClass: organization
dc: kommun
o: Kommunen

dn: {PEOPLE}
objectClass: organizationalUnit
ou: people

dn: uid=anna,{PEOPLE}
objectClass: inetOrgPerson
uid: anna
cn: Anna Andersson
sn: Andersson
userPassword: {hashed}
"""
    )
    subprocess.run(
        [SLAPADD, "-f", str(config), "-l", str(entries)], check=True, capture_output=True
    )
    port = _free_port()
    process = subprocess.Popen(
        [SLAPD, "-f", str(config), "-h", f"ldap://127.0.0.1:{port}/", "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            assert process.poll() is None, "slapd exited during start-up"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"ldap://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def directory(app, slapd, monkeypatch):
    monkeypatch.setitem(app.config, "LDAP_URL", slapd)
    monkeypatch.setitem(app.config, "LDAP_USER_DN_TEMPLATE", f"uid={{username}},{PEOPLE}")
    return slapd


def _directory_account(username="anna", active=True, password=None):
    from intranet.accounts.services import create_user
    from intranet.auth.actors import SYSTEM

    with acting_as(None, "test data"):
        user = create_user(SYSTEM, username, "Anna Andersson", "viewer", password)
        user.active = active
        db.session.commit()
    return user


def _sign_in(client, username, password):
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": client.csrf_token()},
    )


def test_directory_password_signs_in_the_local_account(client, app_context, directory):
    user = _directory_account()
    assert user.password_hash is None
    assert _sign_in(client, "anna", DIRECTORY_PASSWORD).status_code == 302
    assert client.get("/plans").status_code == 200


def test_wrong_directory_password_is_refused(client, app_context, directory):
    _directory_account()
    response = _sign_in(client, "anna", "fel-losenord-helt-fel")
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord" in response.get_data(as_text=True)


def test_no_local_account_no_access(client, app_context, directory):
    # The directory knows anna, but no administrator has given her an account here.
    assert _sign_in(client, "anna", DIRECTORY_PASSWORD).status_code == 401
    assert db.session.scalar(select(User).where(User.username == "anna")) is None


def test_deactivated_account_is_refused_despite_the_directory(client, app_context, directory):
    _directory_account(active=False)
    assert _sign_in(client, "anna", DIRECTORY_PASSWORD).status_code == 401


def test_empty_password_never_binds(app_context, directory):
    # An empty password would be an anonymous ("unauthenticated") bind.
    assert directory_accepts("anna", "") is False


def test_names_are_escaped_in_the_bind_dn(app_context, directory):
    assert directory_accepts(f"anna,{PEOPLE}", DIRECTORY_PASSWORD) is False
    assert directory_accepts("*", DIRECTORY_PASSWORD) is False


def test_unreachable_directory_leaves_local_passwords_working(
    client, app, app_context, make, monkeypatch
):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setitem(app.config, "LDAP_URL", f"ldap://127.0.0.1:{port}/")
    monkeypatch.setitem(app.config, "LDAP_USER_DN_TEMPLATE", f"uid={{username}},{PEOPLE}")
    monkeypatch.setitem(app.config, "LDAP_TIMEOUT", 2)
    local = make.user("admin")
    response = _sign_in(client, local.username, "a-long-test-password")
    assert response.status_code == 302


def test_admin_may_create_directory_accounts_without_password(client, make, directory):
    admin = make.user("admin")
    client.login(admin.username)
    response = client.post_form(
        "/admin/users/new",
        {"username": "anna", "display_name": "Anna Andersson", "role": "viewer"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    client.post_form("/logout")
    assert _sign_in(client, "anna", DIRECTORY_PASSWORD).status_code == 302


def test_without_a_directory_a_password_is_required(client, make):
    admin = make.user("admin")
    client.login(admin.username)
    response = client.post_form(
        "/admin/users/new",
        {"username": "bertil", "display_name": "Bertil", "role": "viewer"},
    )
    assert response.status_code == 422
    assert "Ange ett lösenord" in response.get_data(as_text=True)
