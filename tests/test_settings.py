"""The settings (etl/settings.py): each one in the README's table, read nowhere else, and read when
asked, so a setting given after the modules are imported still counts."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from etl import settings
from etl.store.store import ROOT, Store

PRODUCT = [
    *(ROOT / "etl").rglob("*.py"),
    *(ROOT / "app").rglob("*.py"),
    *(ROOT / "pages").rglob("*.py"),
    ROOT / "admin.py",
    ROOT / "dashboard.py",
]
SETTINGS_MODULE = ROOT / "etl" / "settings.py"


def readme_settings_table() -> set[str]:
    """The setting names in the first column of the README's table under "## Settings"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE))


def test_every_setting_is_in_the_readme_table_and_the_table_names_no_other():
    assert readme_settings_table() == {setting.name for setting in settings.SETTINGS}


def test_every_setting_has_help():
    for setting in (*settings.SETTINGS, *settings.INTERNAL):
        assert setting.help.strip(), setting.name


def environment_reads(tree: ast.AST) -> list[int]:
    """Lines that read os.environ or os.getenv; handing the whole environment on to a child process
    (`{**os.environ, ...}`) reads no setting and is allowed."""
    handed_on = {
        id(value) for node in ast.walk(tree) if isinstance(node, ast.Dict) for key, value in zip(node.keys, node.values) if key is None
    }
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv", "environb"} and id(node) not in handed_on
    ]


def test_no_module_but_the_settings_reads_the_environment_or_names_a_setting():
    names = {setting.name for setting in (*settings.SETTINGS, *settings.INTERNAL)}
    found = []
    for path in PRODUCT:
        text = path.read_text(encoding="utf-8")
        # Parsing every module takes most of a second: only those that could hold either are read.
        if path == SETTINGS_MODULE or not any(word in text for word in ("environ", "getenv", *names)):
            continue
        tree = ast.parse(text)
        found += [f"{path.relative_to(ROOT)}:{line} reads the environment" for line in environment_reads(tree)]
        found += [
            f"{path.relative_to(ROOT)}:{node.lineno} names {node.value}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in names
        ]
    assert not found


def test_the_default_store_follows_the_data_folder_given_after_import(tmp_path, monkeypatch):
    """SLIPPAGE_DATA_DIR was read once, when etl.store.store was imported: a server or test that
    set it later still wrote into the repository's data/."""
    monkeypatch.delenv("SLIPPAGE_DB", raising=False)
    monkeypatch.setenv("SLIPPAGE_DATA_DIR", str(tmp_path))
    assert Store.at().path == tmp_path / "audit.duckdb"
    monkeypatch.setenv("SLIPPAGE_DB", str(tmp_path / "named.duckdb"))
    assert Store.at().path == tmp_path / "named.duckdb"


def test_a_blank_setting_is_unset_except_the_trusted_proxies(monkeypatch):
    monkeypatch.setenv("SLIPPAGE_DB", "")
    monkeypatch.setenv("SLIPPAGE_STORAGE_VERSION", "")
    monkeypatch.setenv("SLIPPAGE_TRUSTED_PROXIES", "")
    assert settings.DB.value() is None
    assert settings.STORAGE_VERSION.value() == "v1.4.0"
    assert settings.TRUSTED_PROXIES.value() == ""  # set to nothing: trust no proxy, whatever admin.toml says
    monkeypatch.delenv("SLIPPAGE_TRUSTED_PROXIES")
    assert settings.TRUSTED_PROXIES.value() is None
    assert Path(settings.LAYOUTS.value()) == ROOT / "etl" / "layouts" / "layouts.toml"


def test_the_settings_import_nothing_of_slippages_so_every_stage_may_read_them():
    tree = ast.parse(SETTINGS_MODULE.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] in {"etl", "app", "pages", "admin", "dashboard"}}
