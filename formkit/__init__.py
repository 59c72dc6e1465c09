"""formkit: documents, deadlines and the Missing and Absent Tracker for children's services.

The public API is what ``__all__`` lists; everything else may change between releases.
Each name is imported from its module when first used, so ``import formkit`` and
``import formkit.model`` stay cheap (no lxml, openpyxl, jinja2 or python-docx until needed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from formkit.lazy import lazy_names

__version__ = "0.1.0"

# name -> the module it lives in
_PUBLIC: dict[str, str] = {
    "BatchResult": "formkit.batch",
    "ConversionError": "formkit.errors",
    "EpisodeInvalid": "formkit.errors",
    "FormkitError": "formkit.errors",
    "FormParseError": "formkit.errors",
    "InputError": "formkit.errors",
    "OutputError": "formkit.errors",
    "OutputExists": "formkit.errors",
    "Problem": "formkit.errors",
    "ProfileError": "formkit.errors",
    "RenderError": "formkit.errors",
    "TemplateError": "formkit.errors",
    "TrackerBusy": "formkit.errors",
    "TrackerError": "formkit.errors",
    "UnsafeFileError": "formkit.errors",
    "iter_episodes": "formkit.load",
    "load_episodes": "formkit.load",
    "EpisodeRecord": "formkit.model",
    "ParseResult": "formkit.parse",
    "parse_form": "formkit.parse",
    "parse_files": "formkit.parse.batch",
    "Obligation": "formkit.protocol",
    "Plan": "formkit.protocol",
    "Profile": "formkit.protocol",
    "load_profile": "formkit.protocol",
    "plan": "formkit.protocol",
    "plan_files": "formkit.protocol.batch",
    "Catalog": "formkit.render",
    "WordTemplate": "formkit.render",
    "convert_to_pdf": "formkit.render",
    "lint_template": "formkit.render",
    "render_batch": "formkit.render",
    "render_files": "formkit.render",
    "generate_episodes": "formkit.synthetic",
    "build_report": "formkit.tracker",
    "create_tracker": "formkit.tracker",
    "export_tracker": "formkit.tracker",
    "update_tracker": "formkit.tracker",
    "validate_files": "formkit.validation",
}

if TYPE_CHECKING:
    from formkit.batch import BatchResult
    from formkit.errors import (
        ConversionError,
        EpisodeInvalid,
        FormkitError,
        FormParseError,
        InputError,
        OutputError,
        OutputExists,
        Problem,
        ProfileError,
        RenderError,
        TemplateError,
        TrackerBusy,
        TrackerError,
        UnsafeFileError,
    )
    from formkit.load import iter_episodes, load_episodes
    from formkit.model import EpisodeRecord
    from formkit.parse import ParseResult, parse_form
    from formkit.parse.batch import parse_files
    from formkit.protocol import Obligation, Plan, Profile, load_profile, plan
    from formkit.protocol.batch import plan_files
    from formkit.render import (
        Catalog,
        WordTemplate,
        convert_to_pdf,
        lint_template,
        render_batch,
        render_files,
    )
    from formkit.synthetic import generate_episodes
    from formkit.tracker import (
        build_report,
        create_tracker,
        export_tracker,
        update_tracker,
    )
    from formkit.validation import validate_files


__getattr__, __dir__ = lazy_names(__name__, _PUBLIC)

__all__ = [
    "BatchResult",
    "Catalog",
    "ConversionError",
    "EpisodeInvalid",
    "EpisodeRecord",
    "FormParseError",
    "FormkitError",
    "InputError",
    "Obligation",
    "OutputError",
    "OutputExists",
    "ParseResult",
    "Plan",
    "Problem",
    "Profile",
    "ProfileError",
    "RenderError",
    "TemplateError",
    "TrackerBusy",
    "TrackerError",
    "UnsafeFileError",
    "WordTemplate",
    "build_report",
    "convert_to_pdf",
    "create_tracker",
    "export_tracker",
    "generate_episodes",
    "iter_episodes",
    "lint_template",
    "load_episodes",
    "load_profile",
    "parse_files",
    "parse_form",
    "plan",
    "plan_files",
    "render_batch",
    "render_files",
    "update_tracker",
    "validate_files",
    "__version__",
]
