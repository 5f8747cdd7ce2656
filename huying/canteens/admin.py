from django.contrib import admin

from huying.core.admin import ReadOnlyModelAdmin

from .models import Canteen, PurchaseRecord, Settlement


@admin.register(Canteen)
class CanteenAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "name", "operator", "is_active")


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyModelAdmin):
    list_display = ("canteen", "month", "status", "meals", "subsidy_total")


@admin.register(PurchaseRecord)
class PurchaseRecordAdmin(ReadOnlyModelAdmin):
    list_display = ("canteen", "product", "purchased_on", "retain_until")
