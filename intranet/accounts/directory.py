"""Optional sign-in against an LDAP directory or Active Directory (ldap3).

The directory only vouches for the password: the local account (role, boards, active)
must exist, created by an administrator, so that access is granted here and recorded in
the history. Configured by LDAP_URL and LDAP_USER_DN_TEMPLATE; see README.
"""

import warnings

from flask import current_app


def _ldap3():
    # ldap3 2.9 uses names that newer pyasn1 releases deprecate, warning at import.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import ldap3
        import ldap3.core.exceptions
        import ldap3.utils.dn
    return ldap3


def directory_configured() -> bool:
    config = current_app.config
    return bool(config.get("LDAP_URL") and config.get("LDAP_USER_DN_TEMPLATE"))


def directory_accepts(username: str, password: str) -> bool:
    """True when the directory accepts a simple bind as this user with this password."""
    # An empty password is an "unauthenticated bind" that many servers accept: never try.
    if not directory_configured() or not username or not password:
        return False
    ldap3 = _ldap3()
    config = current_app.config
    bind_name = config["LDAP_USER_DN_TEMPLATE"].format(username=ldap3.utils.dn.escape_rdn(username))
    timeout = config.get("LDAP_TIMEOUT", 5)
    connection = None
    try:
        # ldap3 wants no trailing slash, which ldap:// URLs often carry.
        server = ldap3.Server(config["LDAP_URL"].rstrip("/"), connect_timeout=timeout)
        connection = ldap3.Connection(
            server,
            user=bind_name,
            password=password,
            receive_timeout=timeout,
            raise_exceptions=False,
        )
        return bool(connection.bind())
    except ldap3.core.exceptions.LDAPException:
        # Logged, not shown: local passwords keep working while the directory is away.
        current_app.logger.warning("Directory sign-in failed: the directory did not answer")
        return False
    finally:
        if connection is not None:
            connection.unbind()
            # ldap3 2.9 leaves the socket of a failed connect open.
            if connection.socket is not None:
                connection.socket.close()
