from archiver.models import Embed
from archiver.scan.text import Attribution
from archiver.scan.visible import VisibleText

def attribution_in_source(source: str, seen: VisibleText, found: Attribution, /) -> Embed: ...
