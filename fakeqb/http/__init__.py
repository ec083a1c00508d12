"""fakeqb over HTTP: the server (`server`, on the keep-alive `wsgiserver`) and its client (`client`)."""
