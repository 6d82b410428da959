"""HTCDS v2.0 picklists, value names exactly as in the standard (IOM, CC BY 4.0).

Stored values are the standard's value names, so exports need no mapping; labels are the
standard's labels, translated for display only. Source: ``data/htcds/htcds_field_standards_2.0.csv``
beside this module. ``Gender`` and ``ExploitationType``, which other apps use too, live in
``safeguard.core.picklists`` and are re-exported here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from safeguard.core.picklists import ExploitationType, Gender

__all__ = [
    "ExploitationType",
    "Gender",
    "HtcdsCaseStatus",
    "LabourIndustry",
    "MethodOfControl",
    "PerpetratorRole",
    "RecruitmentMethod",
    "RelationshipToTrafficker",
    "SexExploitationType",
    "StatusDecisionOrg",
    "SupportPlanType",
    "TraffickingStatus",
    "Vulnerability",
    "WebsiteOrApp",
]


class TraffickingStatus(models.TextChoices):
    """``vic_TraffickingStatus``."""

    POSSIBLE_VICTIM_OF_TRAFFICKING = "PossibleVictimOfTrafficking", _("Possible victim of trafficking")
    ACTUAL_VICTIM_OF_TRAFFICKING = "ActualVictimOfTrafficking", _("Actual victim of trafficking")
    NOT_AVICTIM_OF_TRAFFICKING = "NotAVictimOfTrafficking", _("Not a victim of trafficking")


class StatusDecisionOrg(models.TextChoices):
    """``vic_TraffickingStatusDecisionMakingOrg``."""

    POLICE = "Police", _("Police")
    NGO = "NGO", _("NGO")
    COURT_OR_PROSECUTION = "CourtOrProsecution", _("Court or prosecution")
    NON_POLICE_GOVERNMENTAL_ORGANIZATION = (
        "NonPoliceGovernmentalOrganization",
        _("Non-police governmental organization"),
    )
    OTHER = "Other", _("Other")


class RelationshipToTrafficker(models.TextChoices):
    """``vic_RelationshipToTrafficker``."""

    FAMILIAL = "Familial", _("Familial")
    ACQUAINTED = "Acquainted", _("Acquainted")
    UNAQUAINTED = "Unaquainted", _("Unaquainted")


class WebsiteOrApp(models.TextChoices):
    """``vic_RecruitmentWebsitesAndApps``."""

    FACEBOOK = "Facebook", _("Facebook")
    INSTAGRAM = "Instagram", _("Instagram")
    WHATS_APP = "WhatsApp", _("WhatsApp")
    TELEGRAM = "Telegram", _("Telegram")
    FACEBOOK_MESSENGER = "FacebookMessenger", _("Facebook Messenger")
    VIBER = "Viber", _("Viber")
    SNAP_CHAT = "SnapChat", _("SnapChat")
    LINE = "Line", _("Line")
    N4_SALE = "4Sale", _("4Sale")
    WE_CHAT = "WeChat", _("WeChat")
    QQ = "QQ", _("QQ")
    QZONE = "QZone", _("QZone")
    TIK_TOK = "TikTok", _("TikTok")
    TWITTER = "Twitter", _("Twitter")
    OTHER = "Other", _("Other")


class RecruitmentMethod(models.TextChoices):
    """``vic_MethodOfRecruitment``."""

    AT_APLACE_OF_BUSINESS = "AtAPlaceOfBusiness", _("At a place of business")
    AT_AN_EDUCATIONAL_INSTITUTION = "AtAnEducationalInstitution", _("At an educational institution")
    AT_WORK = "AtWork", _("At work")
    THROUGH_ONLINE_SOCIAL_NETWORKS = "ThroughOnlineSocialNetworks", _("Through online social networks")
    THROUGH_AN_ONLINE_ADVERTISEMENT = "ThroughAnOnlineAdvertisement", _("Through an online advertisement")
    THROUGH_ATELEVISION_ADVERT = "ThroughATelevisionAdvert", _("Through a television advert")
    THROUGH_ANEWSPAPER_ADVERT = "ThroughANewspaperAdvert", _("Through a newspaper advert")
    THROUGH_FAMILY_OR_FAMILY_EVENTS = "ThroughFamilyOrFamilyEvents", _("Through family or family events")
    THROUGH_FRIENDS_OR_SOCIAL_EVENTS = "ThroughFriendsOrSocialEvents", _("Through friends or social events")
    OTHER = "Other", _("Other")


class MethodOfControl(models.TextChoices):
    """``vic_MethodsOfControl``."""

    PHYSICAL_THREATS = "PhysicalThreats", _("Physical threats")
    THREATS_LAW_ENFORCEMENT = "ThreatsLawEnforcement", _("Threats of law enforcement")
    THREATENS_CHILDREN_FAMILY = "ThreatensChildrenFamily", _("Threatens children/family")
    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    FALSE_PROMISES = "FalsePromises", _("False promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "RestrictsFinancialAccess", _("Restricts financial access")
    RESTRICTS_MEDICAL_CARE = "RestrictsMedicalCare", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds necessities")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("Psychological abuse")
    PSYCHOACTIVE_SUBSTANCE = "PsychoactiveSubstance", _("Psychoactive substance")
    EXCESSIVE_WORKING_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Withholds documents")
    OTHER = "Other", _("Other")


class LabourIndustry(models.TextChoices):
    """``vic_ForcedLabourIndustry``."""

    A_AGRICULTURE_FORESTRY_AND_FISHING = (
        "A_AgricultureForestryAndFishing",
        _("Agriculture, forestry and fishing"),
    )
    B_MINING_AND_QUARRYING = "B_MiningAndQuarrying", _("Mining and quarrying")
    C_MANUFACTURING = "C_Manufacturing", _("Manufacturing")
    D_ELECTRICITY_GAS_STEAM_AND_AIR_CONDITIONING_SUPPLY = (
        "D_ElectricityGasSteamAndAirConditioningSupply",
        _("Electricity, gas, steam and air conditioning supply"),
    )
    E_WATER_SUPPLY_SEWERAGE_WASTE_MANAGEMENT = (
        "E_WaterSupplySewerageWasteManagement",
        _("Water supply; sewerage, waste management and remediation"),
    )
    F_CONSTRUCTION = "F_Construction", _("Construction")
    G_WHOLESALE_AND_RETAIL_TRADE_REPAIR_OF_MOTOR_VEHICLES = (
        "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
        _("Wholesale and retail trade; repair of motor vehicles and motorcycles"),
    )
    H_TRANSPORTATION_AND_STORAGE = "H_TransportationAndStorage", _("Transportation and storage")
    I_ACCOMMODATION_AND_FOOD_SERVICE_ACTIVITIES = (
        "I_AccommodationAndFoodServiceActivities",
        _("Accommodation and food service activities"),
    )
    J_INFORMATION_AND_COMMUNICATION = "J_InformationAndCommunication", _("Information and communication")
    K_FINANCIAL_AND_INSURANCE_ACTIVITIES = (
        "K_FinancialAndInsuranceActivities",
        _("Financial and insurance activities"),
    )
    L_REAL_ESTATE_ACTIVITIES = "L_RealEstateActivities", _("Real estate activities")
    M_PROFESSIONAL_SCIENTIFIC_AND_TECHNICAL_ACTIVITIES = (
        "M_ProfessionalScientificAndTechnicalActivities",
        _("Professional, scientific and technical activities"),
    )
    N_ADMINISTRATIVE_AND_SUPPORT_SERVICE_ACTIVITIES = (
        "N_AdministrativeAndSupportServiceActivities",
        _("Administrative and support service activities"),
    )
    O_PUBLIC_ADMINISTRATION_AND_DEFENCE = (
        "O_PublicAdministrationAndDefence",
        _("Public administration and defence; compulsory social security"),
    )
    P_EDUCATION = "P_Education", _("Education")
    Q_HUMAN_HEALTH_AND_SOCIAL_WORK_ACTIVITIES = (
        "Q_HumanHealthAndSocialWorkActivities",
        _("Human health and social work activities"),
    )
    R_ARTS_ENTERTAINMENT_AND_RECREATION = (
        "R_ArtsEntertainmentAndRecreation",
        _("Arts, entertainment and recreation"),
    )
    S_OTHER_SERVICE_ACTIVITIES = "S_OtherServiceActivities", _("Other service activities")
    T_ACTIVITIES_OF_HOUSEHOLDS_AS_EMPLOYERS = (
        "T_ActivitiesOfHouseholdsAsEmployers",
        _(
            "Activities of households as employers; undifferentiated goods- and services- producing activities of households for own use"
        ),
    )
    U_ACTIVITIES_OF_EXTRATERRITORIAL_ORGANIZATIONS = (
        "U_ActivitiesOfExtraterritorialOrganizations",
        _("Activities of extraterritorial organizations and bodies"),
    )


class SexExploitationType(models.TextChoices):
    """``vic_TypeOfSexExploitation``."""

    PROSTITUTION = "Prostitution", _("Prostitution")
    PORNOGRAPHY = "Pornography", _("Pornography")
    REMOTE_INTERACTIVE_SERVICES = "RemoteInteractiveServices", _("Remote Interactive Services")
    PRIVATE_SEXUAL_SERVICES = "PrivateSexualServices", _("Private Sexual Services")


class Vulnerability(models.TextChoices):
    """``vic_Vulnerabilities``."""

    ADDICTION = "Addiction", _("Addiction")
    SOCIAL_GROUP = "SocialGroup", _("Social Group")
    DISCRIMINATION = "Discrimination", _("Discrimination")
    POVERTY = "Poverty", _("Poverty")
    DISABILITY_AND_PHYSICAL_HEALTH = "DisabilityAndPhysicalHealth", _("Disability and physical health")
    MENTAL_HEALTH = "MentalHealth", _("Mental health")
    MIGRATION = "Migration", _("Migration")
    HOMELESSNESS = "Homelessness", _("Homelessness")
    ABUSE_SOCIAL_MEDIA = "AbuseSocialMedia", _("Abuse - social media")
    ABUSE_PHYSICAL = "AbusePhysical", _("Abuse - physical")
    EDUCATION = "Education", _("Education")
    WORK_ENVIRONMENT = "WorkEnvironment", _("Work environment")


class PerpetratorRole(models.TextChoices):
    """``per_RoleInProcess``."""

    TRAVELLING_PARTNER = "TravellingPartner", _("Travelling Partner")
    TRANSPORTER = "Transporter", _("Transporter")
    RECRUITER_OR_INTERMEDIARY = "RecruiterOrIntermediary", _("Recruiter Or Intermediary")
    BROKER_TRAVEL_AGENT = "BrokerTravelAgent", _("Broker Travel Agent")
    TRANSFERRED_INDIVIDUAL = "TransferredIndividual", _("Transferred Individual")
    HARBOURED_INDIVIDUAL = "HarbouredIndividual", _("Harboured Individual")
    SOLD_INDIVIDUAL = "SoldIndividual", _("Sold Individual")
    BOUGHT_INDIVIDUAL = "BoughtIndividual", _("Bought Individual")
    RECEIVED_INDIVIDUAL = "ReceivedIndividual", _("Received Individual")
    CONTROLLED_INDIVIDUAL = "ControlledIndividual", _("Controlled Individual")
    SMUGGLER = "Smuggler", _("Smuggler")
    ABUSER = "Abuser", _("Abuser")
    KIDNAPPER = "Kidnapper", _("Kidnapper")
    EXPLOITER = "Exploiter", _("Exploiter")
    OTHER = "Other", _("Other")


class HtcdsCaseStatus(models.TextChoices):
    """``cas_Status``."""

    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow Up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed Referred")


class SupportPlanType(models.TextChoices):
    """``spl_Type``."""

    EDUCATION = "Education", _("Education")
    FINANCIAL = "Financial", _("Financial")
    HEALTH = "Health", _("Health")
    LABOUR_EXPLOITATION_REHABILITATION = (
        "LabourExploitationRehabilitation",
        _("Labour Exploitation Rehabilitation"),
    )
    LEGAL = "Legal", _("Legal")
    LIVELIHOOD = "Livelihood", _("Livelihood")
    RIGHTS_BASED_TRAINING = "RightsBasedTraining", _("Rights-based Training")
    SEXUAL_EXPLOITATION_REHABILITATION = (
        "SexualExploitationRehabilitation",
        _("Sexual Exploitation Rehabilitation"),
    )
    SOCIAL_CARE = "SocialCare", _("Social Care")
