"""The party's look and the law: the brand kit, the branded pictures (logo, lower third, end
card), the UK digital imprint rule and the Facebook post copy."""
