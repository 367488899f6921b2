"""archiver: keep the social posts that articles embed checkable after the posts are gone."""

__version__ = "0.1.0"
