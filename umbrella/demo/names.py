"""Invented people and places. Names are common given and family names put together at random,
so no record describes a real person; phone numbers come from Ofcom's ranges reserved for
drama (07700 900000-900999, 020 7946 0000-0999) and email addresses use example.org.
"""

from __future__ import annotations

NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "jewish": (
        ("David", "Rachel", "Daniel", "Miriam", "Samuel", "Esther", "Benjamin", "Leah", "Aaron", "Naomi",
         "Joshua", "Hannah", "Eli", "Shira", "Yosef", "Chaya", "Ruth", "Jacob", "Tamar", "Avi"),
        ("Cohen", "Levy", "Goldberg", "Rosen", "Katz", "Friedman", "Shapiro", "Klein", "Gold", "Adler",
         "Stern", "Weiss", "Kaplan", "Bloom", "Segal", "Landau", "Abrahams", "Jacobs", "Solomon", "Franks"),
    ),
    "muslim": (
        ("Mohammed", "Aisha", "Ahmed", "Fatima", "Yusuf", "Zainab", "Omar", "Maryam", "Ibrahim", "Khadija",
         "Hassan", "Amina", "Bilal", "Safiya", "Tariq", "Nadia", "Imran", "Hafsa", "Abdi", "Hodan"),
        ("Khan", "Hussain", "Ahmed", "Ali", "Rahman", "Begum", "Uddin", "Islam", "Malik", "Iqbal",
         "Shah", "Mahmood", "Farah", "Abdullahi", "Hassan", "Yusuf", "Chowdhury", "Miah", "Qureshi", "Aziz"),
    ),
    "black": (
        ("Kwame", "Chidi", "Adaeze", "Tunde", "Folake", "Marcus", "Jerome", "Shanice", "Tyrone", "Keisha",
         "Kofi", "Ama", "Emeka", "Ngozi", "Olu", "Precious", "Dwayne", "Simone", "Andre", "Abena"),
        ("Okafor", "Mensah", "Adeyemi", "Campbell", "Williams", "Johnson", "Boateng", "Owusu", "Nwosu",
         "Clarke", "Brown", "Thompson", "Asante", "Oduya", "Bakare", "Richards", "Edwards", "Grant", "Moyo", "Eze"),
    ),
    "asian": (
        ("Priya", "Rajesh", "Anjali", "Sanjay", "Harpreet", "Gurpreet", "Deepa", "Arjun", "Wei", "Mei",
         "Jun", "Li", "Hiroshi", "Yuki", "Minh", "Linh", "Kavya", "Ravi", "Sunita", "Anil"),
        ("Patel", "Shah", "Singh", "Kaur", "Sharma", "Gupta", "Chen", "Wang", "Li", "Zhang",
         "Nguyen", "Tran", "Kumar", "Mistry", "Sandhu", "Gill", "Lee", "Tanaka", "Wong", "Desai"),
    ),
    "european": (
        ("Piotr", "Agnieszka", "Tomasz", "Katarzyna", "Andrei", "Elena", "Mihai", "Ioana", "Marek", "Zofia",
         "Lukas", "Jana", "Dmitri", "Olena", "Nikolai", "Daria", "Giorgos", "Sofia", "Luca", "Ana"),
        ("Kowalski", "Nowak", "Wisniewski", "Popescu", "Ionescu", "Novak", "Horvat", "Petrov", "Kovalenko",
         "Shevchenko", "Rossi", "Silva", "Santos", "Ferreira", "Papadopoulos", "Dumitru", "Lewandowski",
         "Kaminski", "Marin", "Costa"),
    ),
    "traveller": (
        ("Patrick", "Bridget", "Michael", "Mary", "John", "Kathleen", "Tommy", "Margaret", "Marius", "Denisa"),
        ("Ward", "McDonagh", "Doherty", "Connors", "Joyce", "Maughan", "Reilly", "Rostas", "Stan", "Gavin"),
    ),
    "british": (
        ("Emma", "James", "Sophie", "Oliver", "Chloe", "Harry", "Jessica", "Thomas", "Charlotte", "George",
         "Lucy", "Jack", "Amy", "Ben", "Hannah", "Daniel", "Laura", "Matthew", "Rebecca", "Liam"),
        ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright", "Robinson", "Thompson",
         "Hughes", "Green", "Hall", "Wood", "Harris", "Clarke", "Lewis", "Young", "King", "Baker"),
    ),
}
ALL_POOLS = tuple(NAME_POOLS)

STREET_WORDS = (
    "Albert", "Victoria", "Station", "Church", "Mill", "Park", "Queens", "Kings", "Market", "Chapel",
    "Grove", "Manor", "Elm", "Oak", "Cedar", "Willow", "Riverside", "Northfield", "Southgate", "Broad",
    "Green", "Hill", "Bridge", "Canal", "Forest", "Meadow", "Orchard", "Priory", "Abbey", "Warren",
)
STREET_ENDINGS = ("Road", "Street", "Lane", "Avenue", "Way", "Close", "Parade", "Gardens", "Terrace", "Rise")
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
