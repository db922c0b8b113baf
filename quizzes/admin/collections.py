from django.contrib import admin

from quizzes.models import Collection


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    """Collections come from their folder's collection.yaml (load_seeds); here they are read, not edited."""

    list_display = ["title", "slug", "period", "language", "loaded_at", "folder"]
    readonly_fields = [
        "slug",
        "title",
        "period",
        "description",
        "language",
        "date_from",
        "date_to",
        "position",
        "module_specs",
        "folder",
        "loaded_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
