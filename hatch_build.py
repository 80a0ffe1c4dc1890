"""Compile the gettext catalogues into the wheel, so an installed portal is translated."""

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):
    def initialize(self, version, build_data):
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root) / "eap" / "translations"
        for po_path in root.glob("*/LC_MESSAGES/messages.po"):
            with po_path.open("rb") as po_file:
                catalogue = read_po(po_file)
            mo_path = po_path.with_suffix(".mo")
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalogue)
            build_data["force_include"][str(mo_path)] = str(mo_path.relative_to(self.root))
