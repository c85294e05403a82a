"""Form pieces shared by the apps."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.utils.translation import gettext as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's FileField takes one); cleans to a list of files.

    Checks what an importer should not have to: how many files, their endings, their sizes and,
    with ``unique_names``, that no name comes twice (importers that write the uploads into one
    folder need that). Empty files pass, so that the importer can name them together with every
    other problem in the upload instead of the form stopping at the first."""

    def __init__(
        self,
        *args,
        suffixes: tuple[str, ...] = (),
        max_files: int = 50,
        max_megabytes: int = 20,
        unique_names: bool = False,
        **kwargs,
    ):
        self.suffixes = tuple(s.lower() for s in suffixes)
        self.max_files = max_files
        self.max_megabytes = max_megabytes
        self.unique_names = unique_names
        attrs = {"accept": ",".join(self.suffixes)} if self.suffixes else {}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        files = [super(MultipleFileField, self).clean(f, initial) for f in files]
        if len(files) > self.max_files:
            raise forms.ValidationError(_("一次最多上传 %(n)d 个文件。") % {"n": self.max_files})
        names = set()
        for f in files:
            name = PurePath(f.name).name
            if self.suffixes and PurePath(name).suffix.lower() not in self.suffixes:
                raise forms.ValidationError(
                    _("%(name)s：只支持 %(suffixes)s 文件。")
                    % {"name": name, "suffixes": "、".join(self.suffixes)}
                )
            if f.size > self.max_megabytes * 1024 * 1024:
                raise forms.ValidationError(
                    _("%(name)s：文件超过 %(n)d MB。") % {"name": name, "n": self.max_megabytes}
                )
            if self.unique_names and name in names:
                raise forms.ValidationError(_("%(name)s：同名文件上传了两次。") % {"name": name})
            names.add(name)
        return files
