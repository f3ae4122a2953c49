import io

from docx import Document
from sqlalchemy import func, select

from intranet.extensions import db
from intranet.models import Board, Plan, Transaction

DEMO_PLAN = "Handlingsplan för romsk inkludering 2018–2021"
SOCIAL_BOARD = "Social- och omsorgsnämnden"


def demo_plan() -> Plan:
    return db.session.scalar(select(Plan).where(Plan.title == DEMO_PLAN))


def social_board() -> Board:
    return db.session.scalar(select(Board).where(Board.name == SOCIAL_BOARD))


def transactions() -> int:
    return db.session.scalar(select(func.count(Transaction.id)))


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
