"""The step library of the executable spec (`features/`), by actor.

    setting            setting the scene: the connection, the app's settings, what is already on both sides
    quickbooks_person  a person in QuickBooks (qbXML through `quickbooks_user.QuickBooksUser`)
    app_person         a person in the app, and the app's own processing (`syncer.App`)
    sync               the sync (`syncer.sync`)
    app_shows          what the app shows
    quickbooks_shows   what QuickBooks shows (qbXML queries)

`world` holds a scenario's QuickBooks company, app and request processors; `options` the run options (--brand,
--spec-transport); `sentences` turns the sentences of `features/STEPS.md` into step parsers. Steps use only the
public APIs of `fakeqb` and `syncer`.
"""

PLUGINS = [
    "steps.options",
    "steps.world",
    "steps.setting",
    "steps.quickbooks_person",
    "steps.app_person",
    "steps.sync",
    "steps.app_shows",
    "steps.quickbooks_shows",
]
