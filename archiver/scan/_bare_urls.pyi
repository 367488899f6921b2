from archiver.models import Embed
from archiver.scan.bare_urls import BareUrl

def find_bare_urls(
    text: str, start: int, end: int, blank_markers: bool = False, /
) -> list[BareUrl]: ...
def bare_url_embeds(
    text: str, start: int, end: int, blank_markers: bool = False, /
) -> list[Embed]: ...
