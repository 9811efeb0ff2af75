"""The floor of the partner API benchmark (bench/api.py): the same nested payload written by a plain DRF
endpoint, nested ModelSerializers and one transaction, with no validation beyond DRF's own.

It writes the rows the real create writes for the payload (the application, its parties, bank account,
stores, terminal requests and wallet requests) and nothing else: no key lookup, throttle, Idempotency-Key,
audit event, partner event, blind index or last four digits. What the real create costs above it is what
the benchmark's ratio measures. Loaded only by the benchmark's gunicorn, through ``bench.api_settings``;
the portal's own URLs are served beside it unchanged."""

from django.db import transaction
from django.urls import path
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from onboarding.models import Application, BankAccount, Party, Store, TerminalRequest, WalletRequest
from portal.urls import urlpatterns as portal_urlpatterns

ADDRESS = ["address_line1", "address_line2", "address_city", "address_state", "address_postal_code",
           "address_country"]  # fmt: skip


class TerminalFloor(serializers.ModelSerializer):
    class Meta:
        model = TerminalRequest
        fields = ["device_type", "label"]


class StoreFloor(serializers.ModelSerializer):
    terminals = TerminalFloor(many=True)

    class Meta:
        model = Store
        fields = ["name", "phone", *ADDRESS, "terminals"]


class PartyFloor(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["kind", "first_name", "middle_name", "last_name", "title", "email", "phone", "date_of_birth",
                  "ownership_percent", "is_control_person", "id_number_type", "id_number", "nationalities",
                  "citizenships", *ADDRESS]  # fmt: skip
        extra_kwargs = {"date_of_birth": {"write_only": True}, "id_number": {"write_only": True}}


class BankAccountFloor(serializers.ModelSerializer):
    class Meta:
        model = BankAccount
        fields = ["holder_name", "routing_number", "account_number", "account_type"]
        extra_kwargs = {"account_number": {"write_only": True}}


class WalletFloor(serializers.ModelSerializer):
    class Meta:
        model = WalletRequest
        fields = ["wallet", "channel"]


class BusinessFloor(serializers.ModelSerializer):
    class Meta:
        model = Application
        fields = ["legal_name", "dba", "entity_type", "tax_id_type", "tax_id", "formation_state", "formation_date",
                  "website", "phone", "mcc", "product_description", "monthly_volume_cents",
                  "average_ticket_cents", *ADDRESS]  # fmt: skip
        extra_kwargs = {"tax_id": {"write_only": True}}


class ApplicationFloor(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id", read_only=True)
    business = BusinessFloor(source="*")
    parties = PartyFloor(many=True)
    bank_account = BankAccountFloor()
    stores = StoreFloor(many=True)
    wallets = WalletFloor(source="wallet_requests", many=True)

    class Meta:
        model = Application
        fields = ["id", "state", "business", "parties", "bank_account", "stores", "wallets"]
        read_only_fields = ["state"]

    def create(self, validated_data):
        parties = validated_data.pop("parties")
        bank_account = validated_data.pop("bank_account")
        stores = validated_data.pop("stores")
        wallets = validated_data.pop("wallet_requests")
        with transaction.atomic():
            application = Application.objects.create(**validated_data)
            for position, party in enumerate(parties):
                Party.objects.create(application=application, position=position, **party)
            BankAccount.objects.create(application=application, **bank_account)
            for position, store in enumerate(stores):
                terminals = store.pop("terminals")
                created = Store.objects.create(application=application, position=position, **store)
                for terminal in terminals:
                    TerminalRequest.objects.create(store=created, **terminal)
            for wallet in wallets:
                WalletRequest.objects.create(application=application, **wallet)
        return application


class ApplicationFloorCreateView(generics.CreateAPIView):
    """``POST /api/floor/partners/<id>/applications``: the partner in the path, so the rows match the
    real create's (a partner's test-mode API application) without a key lookup."""

    serializer_class = ApplicationFloor
    authentication_classes = []
    permission_classes = [AllowAny]

    def perform_create(self, serializer):
        serializer.save(partner_id=self.kwargs["partner_id"], channel="api", livemode=False)


urlpatterns = [
    path("api/floor/partners/<int:partner_id>/applications", ApplicationFloorCreateView.as_view()),
    *portal_urlpatterns,
]
