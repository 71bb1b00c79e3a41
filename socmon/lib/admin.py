from django.contrib import admin

from .models import Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "org_unit"]
    list_filter = [("org_unit", admin.EmptyFieldListFilter)]
    date_hierarchy = "date"
    search_fields = ["name"]
    autocomplete_fields = ["org_unit"]  # a country holds thousands of units: searched, never one long list
