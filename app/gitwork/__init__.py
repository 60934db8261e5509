"""Evidence from the user's own work in a local git repository, read offline.

`history` reads commit metadata and changed paths (never file contents) with
pygit2, imported only when a repository is read; `proposals` turns the user's
commits into proposed evidence entries; `rules` suggests tags from what
changed. Nothing here touches the database.
"""
