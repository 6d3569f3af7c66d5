"""The stages: each turns a record into a new record (extract, strip, split, lang) or
fits over a batch first (names). Their shared interfaces are in :mod:`.base`; the order
``clean`` runs them in is :mod:`.chain`."""
