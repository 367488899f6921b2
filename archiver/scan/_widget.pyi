from archiver.models import Embed
from archiver.scan.markup import Snippet, _Element

def widget_blockquote(element: _Element, snippet: Snippet, platform: str, /) -> Embed | None: ...
