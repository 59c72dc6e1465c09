"""formkit: documents, deadlines and the Missing and Absent Tracker for children's services.

The public API is what ``__all__`` lists; everything else may change between releases.
"""

from __future__ import annotations

__version__ = "0.1.0"

from formkit.batch import BatchResult  # noqa: E402
from formkit.errors import (  # noqa: E402
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
from formkit.load import iter_episodes, load_episodes  # noqa: E402
from formkit.model import EpisodeRecord  # noqa: E402
from formkit.parse import ParseResult, parse_form  # noqa: E402
from formkit.parse.batch import parse_files  # noqa: E402
from formkit.protocol import Obligation, Plan, Profile, load_profile, plan  # noqa: E402
from formkit.protocol.batch import plan_files  # noqa: E402
from formkit.render import (  # noqa: E402
    Catalog,
    WordTemplate,
    convert_to_pdf,
    lint_template,
    render_files,
)
from formkit.synthetic import generate_episodes  # noqa: E402
from formkit.tracker import (  # noqa: E402
    build_report,
    create_tracker,
    export_tracker,
    update_tracker,
)
from formkit.validation import validate_files  # noqa: E402

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
    "render_files",
    "update_tracker",
    "validate_files",
    "__version__",
]
