"""X/Twitter answers read: syndication and oEmbed, snowflake times, media files, handles."""
