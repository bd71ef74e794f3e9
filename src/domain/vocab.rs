//! Vocabularies: every coded value has a stable ASCII code (stored), a Chinese
//! label (shown by default) and an English label (`--lang en`).

/// The language labels are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Picks the Chinese or the English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Behaviour shared by every coded vocabulary.
pub trait Coded: Copy + Sized + 'static {
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn zh(self) -> &'static str;
    fn en(self) -> &'static str;

    fn label(self, lang: Lang) -> &'static str {
        lang.pick(self.zh(), self.en())
    }

    fn from_code(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == s)
    }

    /// Accepts the code or either label (trimmed; ASCII case-insensitive).
    fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.iter().copied().find(|v| {
            v.code().eq_ignore_ascii_case(s) || v.zh() == s || v.en().eq_ignore_ascii_case(s)
        })
    }

    /// Every code, for messages like "expected one of …".
    fn codes() -> String {
        Self::ALL
            .iter()
            .map(|v| v.code())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

macro_rules! vocab {
    ($(#[$m:meta])* $name:ident { $($var:ident = $code:literal, $zh:literal, $en:literal;)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($var),* }

        impl Coded for $name {
            const ALL: &'static [$name] = &[$($name::$var),*];
            fn code(self) -> &'static str { match self { $($name::$var => $code),* } }
            fn zh(self) -> &'static str { match self { $($name::$var => $zh),* } }
            fn en(self) -> &'static str { match self { $($name::$var => $en),* } }
        }
    };
}

vocab! {
    /// 性别
    Gender {
        Male = "m", "男", "Male";
        Female = "f", "女", "Female";
    }
}

vocab! {
    /// 党员类型
    Membership {
        Full = "full", "正式党员", "Full member";
        Probationary = "probationary", "预备党员", "Probationary";
    }
}

vocab! {
    /// 状态: only `active` members get obligations; nothing is hard-deleted.
    MemberStatus {
        Active = "active", "在册", "Active";
        TransferredOut = "transferred_out", "转出", "Transferred out";
        Deceased = "deceased", "去世", "Deceased";
    }
}

vocab! {
    /// 职业状况
    Employment {
        Employed = "employed", "在职", "Employed";
        Retired = "retired", "退休", "Retired";
        Unemployed = "unemployed", "下岗失业", "Unemployed";
        Farmer = "farmer", "务农", "Farmer";
        Student = "student", "学生", "Student";
        Other = "other", "其他", "Other";
    }
}

vocab! {
    /// 情况: an event that obliges a talk (必谈), a visit (必访) or both.
    EventKind {
        JobChange = "job_change", "岗位变动", "Job change";
        Commendation = "commendation", "受到表彰", "Commendation";
        Punishment = "punishment", "受到处分", "Punishment";
        Setback = "setback", "遇到困难或挫折", "Setback";
        Conflict = "conflict", "出现矛盾和分歧", "Conflict";
        Complaint = "complaint", "群众有不良反映", "Complaint";
        Retirement = "retirement", "退休", "Retirement";
        WorkError = "work_error", "工作失误", "Work error";
        WarningSign = "warning_sign", "发现苗头性问题", "Warning sign";
        Ideology = "ideology", "思想波动", "Ideological wavering";
        Illness = "illness", "生病住院", "Illness";
        MajorDifficulty = "major_difficulty", "生活遇到重大困难", "Major difficulty";
        ReturnHome = "return_home", "流动党员返乡", "Mobile member returned";
        Absent = "absent", "无故不交党费或不过组织生活", "Absent without reason";
        WeddingFuneral = "wedding_funeral", "婚丧嫁娶", "Wedding or funeral";
        Accident = "accident", "发生意外或遭受灾害", "Accident or disaster";
    }
}

impl EventKind {
    /// Whether the event obliges a talk (必谈).
    pub fn obliges_talk(self) -> bool {
        use EventKind::*;
        matches!(
            self,
            JobChange
                | Commendation
                | Punishment
                | Setback
                | Conflict
                | Complaint
                | Retirement
                | WorkError
                | WarningSign
                | Ideology
        )
    }

    /// Whether the event obliges a visit (必访).
    pub fn obliges_visit(self) -> bool {
        use EventKind::*;
        matches!(
            self,
            Ideology | Illness | MajorDifficulty | ReturnHome | Absent | WeddingFuneral | Accident
        )
    }
}

vocab! {
    /// 谈话形式
    TalkForm {
        FaceToFace = "face_to_face", "面对面", "Face to face";
        OneOnOne = "one_on_one", "一对一", "One on one";
        Group = "group", "集体谈话", "Group";
        Phone = "phone", "电话", "Phone";
    }
}

vocab! {
    /// 走访方式
    VisitKind {
        Home = "home", "家访", "Home visit";
        Hospital = "hospital", "医院探望", "Hospital visit";
        Holiday = "holiday", "节日慰问", "Holiday visit";
        HealthCheck = "health_check", "体检", "Health check";
        Phone = "phone", "电话联系", "Phone call";
        Letter = "letter", "书信联系", "Letter";
        Online = "online", "网络联系", "Online";
    }
}

impl VisitKind {
    /// The kinds made in person (home, hospital, holiday): the only ones that
    /// discharge a hardship, honorary, event or campaign visit. The database
    /// lists them in the view `in_person_kinds` (a test keeps the two equal).
    pub const IN_PERSON: [VisitKind; 3] =
        [VisitKind::Home, VisitKind::Hospital, VisitKind::Holiday];

    /// Whether a visit of this kind is made in person.
    pub fn in_person(self) -> bool {
        VisitKind::IN_PERSON.contains(&self)
    }

    /// Whether it is a health check (discharges only honorary_health_check).
    pub fn is_health_check(self) -> bool {
        self == VisitKind::HealthCheck
    }

    /// Whether it keeps in touch with a mobile member (every kind but a health check).
    pub fn is_contact(self) -> bool {
        !self.is_health_check()
    }
}

vocab! {
    /// 走访对象: the target groups of a campaign.
    CampaignTarget {
        All = "all", "全体党员", "All members";
        Old = "old", "老党员", "Old members";
        Hardship = "hardship", "困难党员", "Hardship";
        Honorary = "honorary", "荣誉党员", "Honorary";
        ChronicIll = "chronic_ill", "长期患病", "Chronically ill";
        LowIncome = "low_income", "享受低保", "Low income";
        LivingAlone = "living_alone", "独居", "Living alone";
        Disabled = "disabled", "残疾", "Disabled";
    }
}

vocab! {
    /// 困难类型
    HardshipCategory {
        Living = "living", "生活困难", "Living";
        Solitary = "solitary", "鳏寡孤独", "Solitary";
        ElderlyFrail = "elderly_frail", "年老体弱", "Elderly and frail";
        Illness = "illness", "因病", "Illness";
        Disability = "disability", "因残", "Disability";
        Disaster = "disaster", "因灾", "Disaster";
        Unemployment = "unemployment", "下岗失业", "Unemployment";
        LowIncome = "low_income", "低保", "Low income";
        Education = "education", "子女入学", "Children's schooling";
        Accident = "accident", "突发事故", "Accident";
    }
}

vocab! {
    /// 轻重缓急
    Priority {
        Urgent = "urgent", "特困", "Urgent";
        Key = "key", "重点", "Key";
        Normal = "normal", "一般", "Normal";
    }
}

vocab! {
    /// 台账流程: each step dated and signed, none skipped.
    CaseState {
        Applied = "applied", "个人申请", "Applied";
        Reviewed = "reviewed", "民主评议", "Reviewed";
        Publicized = "publicized", "公示", "Publicized";
        Submitted = "submitted", "逐级申报", "Submitted";
        Approved = "approved", "审核通过", "Approved";
        Rejected = "rejected", "驳回", "Rejected";
        Active = "active", "帮扶中", "Being helped";
        Resolved = "resolved", "已脱困", "Resolved";
        Closed = "closed", "终止", "Closed";
    }
}

impl CaseState {
    /// A case approved or being helped obliges visits and annual reviews.
    pub fn is_live(self) -> bool {
        matches!(self, CaseState::Approved | CaseState::Active)
    }
}

vocab! {
    /// 帮扶措施
    MeasureKind {
        Guidance = "guidance", "思路帮扶", "Guidance";
        Living = "living", "生活帮扶", "Living";
        Knowledge = "knowledge", "知识帮扶", "Knowledge";
        Employment = "employment", "就业帮扶", "Employment";
        Medical = "medical", "医疗救助", "Medical";
        Project = "project", "项目扶持", "Project";
        Psychological = "psychological", "心理辅导", "Psychological";
    }
}

vocab! {
    /// 收支方向
    Direction {
        In = "in", "收入", "Income";
        Out = "out", "支出", "Expense";
    }
}

// The enum comes from `vocab!`, which takes no `#[default]`: written out here.
#[allow(clippy::derivable_impls)]
impl Default for Direction {
    fn default() -> Self {
        Direction::In
    }
}

vocab! {
    /// 收入类别
    IncomeCategory {
        Fiscal = "fiscal", "财政补贴", "Fiscal subsidy";
        Dues = "dues", "党费划拨", "Party dues";
        MemberDonation = "member_donation", "党员捐助", "Member donation";
        SocialDonation = "social_donation", "社会捐赠", "Social donation";
        LoanRepayment = "loan_repayment", "借款归还", "Loan repayment";
        Interest = "interest", "利息", "Interest";
        Other = "other", "其他", "Other";
    }
}

vocab! {
    /// 支出类别
    ExpenseCategory {
        Relief = "relief", "救助金", "Relief";
        Condolence = "condolence", "慰问金", "Condolence money";
        Goods = "goods", "慰问品", "Goods";
        Subsidy = "subsidy", "生活补贴", "Living subsidy";
        Loan = "loan", "无息借款", "Interest-free loan";
        HealthCheck = "health_check", "体检", "Health check";
        Training = "training", "培训", "Training";
        Other = "other", "其他", "Other";
    }
}

vocab! {
    /// 思想状况
    Ideology {
        Stable = "stable", "稳定", "Stable";
        Fluctuating = "fluctuating", "波动", "Fluctuating";
        Attention = "attention", "需关注", "Needs attention";
    }
}

vocab! {
    /// 健康状况
    Health {
        Good = "good", "良好", "Good";
        Fair = "fair", "一般", "Fair";
        Poor = "poor", "较差", "Poor";
    }
}

vocab! {
    /// 需求
    Need {
        Medical = "medical", "医疗", "Medical";
        Employment = "employment", "就业", "Employment";
        Education = "education", "子女教育", "Children's education";
        Housing = "housing", "住房", "Housing";
        Training = "training", "学习培训", "Training";
        Psychological = "psychological", "心理辅导", "Counselling";
        Legal = "legal", "法律援助", "Legal aid";
        Care = "care", "生活照料", "Daily care";
        Financial = "financial", "经济困难", "Financial";
        Other = "other", "其他", "Other";
    }
}

vocab! {
    /// 表彰称号
    HonourTitle {
        ExcellentMember = "excellent_member", "优秀共产党员", "Outstanding member";
        ExcellentWorker = "excellent_worker", "优秀党务工作者", "Outstanding party worker";
        AdvancedOrg = "advanced_org", "先进基层党组织", "Advanced branch";
        Other = "other", "其他", "Other";
    }
}

vocab! {
    /// 表彰级别
    HonourLevel {
        Branch = "branch", "支部", "Branch";
        Street = "street", "街道", "Street";
        District = "district", "区", "District";
        City = "city", "市及以上", "City and up";
    }
}

vocab! {
    /// 考核等次
    Grade {
        Excellent = "excellent", "优秀", "Excellent";
        Good = "good", "良好", "Good";
        Pass = "pass", "合格", "Pass";
        Fail = "fail", "不合格", "Fail";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_code_and_both_labels() {
        assert_eq!(VisitKind::parse("home"), Some(VisitKind::Home));
        assert_eq!(VisitKind::parse(" 家访 "), Some(VisitKind::Home));
        assert_eq!(VisitKind::parse("Home visit"), Some(VisitKind::Home));
        assert_eq!(VisitKind::parse("party"), None);
        assert_eq!(EventKind::parse("思想波动"), Some(EventKind::Ideology));
    }

    #[test]
    fn obligations_of_event_kinds_follow_the_lists() {
        let talks = EventKind::ALL.iter().filter(|k| k.obliges_talk()).count();
        let visits = EventKind::ALL.iter().filter(|k| k.obliges_visit()).count();
        assert_eq!((talks, visits), (10, 7));
        assert!(EventKind::Ideology.obliges_talk() && EventKind::Ideology.obliges_visit());
    }

    #[test]
    fn in_person_kinds() {
        let in_person: Vec<_> = VisitKind::ALL.iter().filter(|k| k.in_person()).collect();
        assert_eq!(in_person.len(), 3);
        assert!(!VisitKind::HealthCheck.in_person());
    }
}
