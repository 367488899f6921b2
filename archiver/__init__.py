"""archiver: keep the social posts that articles embed checkable after the posts are gone."""

import logging

__version__ = "0.1.0"

# The library logs; whoever runs it decides where logs go. Without a handler of its own, Python
# prints warnings bare on stderr, and the command line, which reports every failure itself with
# `archiver:` before it, printed each one twice.
logging.getLogger(__name__).addHandler(logging.NullHandler())
