"""Authentication and authorization: who is calling (``Actor``), what each role may do
(``policy``), how credentials are hashed (``secrets``) and checked (``identity``)."""
