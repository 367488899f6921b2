"""What each witness said: pure parsers of stored answers, and the table of which parser reads
which source. Nothing here asks anything over HTTP (that is ``archiver.fetch``), so the commands
that only read an archive (verify, lookup, export, the Datasette plugin) read answers again with
today's parsers without loading an HTTP client.

- ``payload``: JSON decoding that never raises, and typed field access;
- ``twitter/``: the syndication and oEmbed answers, snowflake times, media file choice, handles;
- ``bluesky``, ``atproto``, ``mastodon``: the AppView's thread, the DID document and signed
  record, a Mastodon status;
- ``wayback/``: the Wayback Machine's CDX listings and raw captures;
- ``platforms``: which platforms are fetched (``FETCHABLE``) and which parser reads each
  source (``PARSERS``, ``parse_again``).
"""
