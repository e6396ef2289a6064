"""Pack versions in the store, one module per job.

* :mod:`.catalogue`: which versions are installed (:class:`PackInfo`), and
  which one is active;
* :mod:`.columns`: the one map from a :class:`~flowdesk.model.Flow`'s fields
  to the ``flows`` table and to its content digest;
* :mod:`.write`: saving a version (whole, or as its change to a stored one);
* :mod:`.read`: loading a version back as model objects.

Callers import the public names from :mod:`flowdesk.store`.
"""
