"""The toolkit every view is written with, so that each reads: load -> check permission ->
call a service -> respond.

- `get_or_404` / `visible_or_404`: load a record; the second applies the archived rule of
  `intranet.reading.snapshot` (an archived record is hidden, and so is everything under it).
- `show_violation` / `show_conflict`: a service's RuleViolation onto its form, or an edit
  conflict, after rolling the change back.
- `saved` / `redirect_after_post`: commit once, say so, and post/redirect/get (htmx too).
- `page_or_block`: the whole page, or one block of the same template for an htmx swap.
- `attachment`: a file download.
- `SignedUpload`: the preview -> confirm protocol of an uploaded file.
"""

import base64
from unicodedata import category
from urllib.parse import urlsplit

from flask import abort, current_app, flash, make_response, redirect, render_template, request
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2_fragments.flask import render_block

from intranet.core.errors import EditConflict, RuleViolation
from intranet.extensions import db
from intranet.reading.snapshot import is_hidden
from intranet.web.filenames import content_disposition
from intranet.web.uploads import MAX_UPLOAD_BYTES, UnreadableFile


def get_or_404(model, record_id: int):
    """The record, archived or not (history pages and accounts show archived ones)."""
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    return record


def visible_or_404(model, record_id: int):
    """The record, unless it or anything it belongs under is archived."""
    record = get_or_404(model, record_id)
    if is_hidden(record):
        abort(404)
    return record


def show_violation(form, violation: RuleViolation, field_name: str | None = None) -> None:
    """Undo the refused change and show the rule's message next to its field (or
    `field_name`'s, or at the top of the form when the form has no such field)."""
    db.session.rollback()
    field = getattr(form, violation.field or "", None) or getattr(form, field_name or "", None)
    if field is None or not hasattr(field, "errors"):
        form.form_errors.append(str(violation.message))
    else:
        field.errors = [*field.errors, str(violation.message)]


def show_conflict(form, conflict: EditConflict) -> None:
    """Someone saved in between: undo, and let saving again deliberately replace their
    version (the form now carries its lock version), with the user's own text kept."""
    db.session.rollback()
    current = conflict.current
    form.lock_version.data = str(current.lock_version if current is not None else 0)


def wants_fragment() -> bool:
    """An htmx swap wants one block; boosted navigation and history restores (the back
    button after a pushed URL) want the whole page."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and not headers.get("HX-Boosted")
        and not headers.get("HX-History-Restore-Request")
    )


def page_or_block(template: str, block: str, status: int = 200, **context):
    """The whole page for a normal request, one block of the same template for htmx."""
    if wants_fragment():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def redirect_after_post(url: str):
    """Post/redirect/get that also works for htmx: a swap target must not receive the page."""
    if wants_fragment():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)


def saved(message, url: str, category_name: str = "success"):
    """Commit the request's one transaction, say what was saved, and go on to `url`."""
    db.session.commit()
    flash(str(message), category_name)
    return redirect_after_post(url)


def attachment(content: bytes, mimetype: str, filename: str):
    """A file download response; the name may be in any language (see filenames)."""
    response = make_response(content)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: never an open redirect, and never
    a header a line break could split (browsers also drop tabs and spaces, so those go)."""
    # Control, format, space and separator characters (categories C* and Z*).
    if not target or len(target) > 2000 or any(category(c)[0] in "CZ" for c in target):
        return None
    same_site = target.startswith("/") and not target.startswith("//")
    if same_site and not urlsplit(target).netloc and "\\" not in target:
        return target
    return None


class SignedUpload:
    """An upload previewed first and written only when confirmed. The confirmation carries
    the file itself, signed with the secret key and bound to the user (and whatever else
    `bound` names, such as the round): the server keeps no state between the preview and
    the write, and the file cannot be swapped on the way."""

    def __init__(self, purpose: str):
        self.purpose = purpose

    def _serializer(self) -> URLSafeSerializer:
        return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=self.purpose)

    @staticmethod
    def preview(form, build) -> tuple[bytes | None, object | None]:
        """The uploaded file and `build(content)`, its preview, from a submitted upload
        form; (…, None) with the message on the form when the form or the file is refused.
        At most one byte more than allowed is read, so "too large" needs no more."""
        if not form.validate_on_submit():
            return None, None
        content = form.file.data.read(MAX_UPLOAD_BYTES + 1)
        try:
            return content, build(content)
        except UnreadableFile as error:
            form.file.errors.append(str(error))
            return content, None

    def sign(self, content: bytes, **bound) -> str:
        return self._serializer().dumps(
            {"user": current_user.id, "content": base64.b64encode(content).decode(), **bound}
        )

    def open(self, form, **bound) -> tuple[bytes, dict]:
        """The file and its signed data from a confirmation form; 400 when the signature,
        the user or anything in `bound` does not match, or the form fails (CSRF)."""
        try:
            data = self._serializer().loads(form.payload.data or "")
        except BadSignature:
            abort(400)
        expected = {"user": current_user.id, **bound}
        if not form.validate_on_submit() or any(data.get(k) != v for k, v in expected.items()):
            abort(400)
        return base64.b64decode(data["content"]), data
