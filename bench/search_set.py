"""The search-quality set: articles written for it and the queries readers type, with the
article each query must find in the first three results (bench/search-quality, and a subset in
tests/test_search_quality.py).

The site it is measured on: these articles, the repository's own articles and
SEED_ARTICLES articles that bench/corpus.py makes from the seed page (they share one body, so
no query here expects one of them; they are the noise a real archive has). Every article here
has its own subject, so each query has one right answer (a few accept two, named together).

Queries are written as readers type them: with tone marks, without them, abbreviations
(HĐND, HDND, QĐ-UBND, QD-UBND, 57-NQ/TW), long queries with many words that start with "d"
or "đ", place names that are also common words ("Đà Nẵng" and "đa năng", "Hòa Bình" and
"hòa bình", "Điện Biên Phủ" the street and the victory). The kinds label the report.
"""

from __future__ import annotations

import textwrap

SEED_ARTICLES = 20  # bench/corpus.py articles (the seed's body, seeded titles and sections)

# key: (section, date, title, tags, summary, body). Slug: "bq-<key>".
ARTICLES: dict[str, tuple[str, str, str, str, str, str]] = {
    "da-nang-hop-tac": (
        "Tin tức - Sự kiện", "2024-03-04 08:00",
        "Thành phố Quảng Ngãi và thành phố Đà Nẵng ký kết chương trình hợp tác giai đoạn 2024–2030",
        "hợp tác, Đà Nẵng",
        ("Hai thành phố thống nhất hợp tác trên sáu lĩnh vực: du lịch, chuyển đổi số, y tế, giáo dục, "
         "quy hoạch đô thị và đào tạo nguồn nhân lực."),
        """
        Sáng 4/3, tại Trung tâm Hành chính thành phố Đà Nẵng, lãnh đạo thành phố Quảng Ngãi và
        thành phố Đà Nẵng ký kết chương trình hợp tác giai đoạn 2024–2030.

        Theo chương trình, Đà Nẵng chia sẻ kinh nghiệm xây dựng chính quyền số, quản lý đô thị
        thông minh và phát triển du lịch biển; Quảng Ngãi giới thiệu các dự án kêu gọi đầu tư.

        Hai bên giao các sở, ngành xây dựng kế hoạch cụ thể hằng năm và sơ kết sau hai năm.
        """,
    ),
    "da-nang-chuyen-doi-so": (
        "Tin tức - Sự kiện", "2024-06-12 14:00",
        "Đoàn cán bộ Thành ủy học tập kinh nghiệm chính quyền số tại Đà Nẵng",
        "chuyển đổi số, Đà Nẵng",
        "Đoàn công tác tìm hiểu Trung tâm giám sát điều hành đô thị thông minh và tổng đài 1022 của Đà Nẵng.",
        """
        Trong hai ngày 11 và 12/6, đoàn cán bộ Thành ủy Quảng Ngãi do Phó Bí thư Thường trực Thành
        ủy làm trưởng đoàn đã đến học tập kinh nghiệm tại Đà Nẵng.

        Đoàn tham quan Trung tâm giám sát điều hành đô thị thông minh (IOC) và tổng đài 1022 tiếp
        nhận phản ánh của người dân, tìm hiểu cách Đà Nẵng số hóa hồ sơ một cửa.

        Kết thúc chuyến công tác, đoàn kiến nghị xây dựng kho dữ liệu dùng chung của thành phố.
        """,
    ),
    "nha-van-hoa-da-nang": (
        "Văn hóa - Xã hội", "2024-03-07 08:00",
        "Khánh thành nhà văn hóa đa năng phường Trần Phú",
        "văn hóa, phường Trần Phú",
        "Nhà văn hóa đa năng có hội trường 300 chỗ, phòng tập đa năng và sân chơi cho thiếu nhi.",
        """
        Nhà văn hóa đa năng của phường Trần Phú được khánh thành sau mười tháng xây dựng, tổng
        vốn 12 tỷ đồng từ ngân sách và đóng góp của nhân dân.

        Công trình gồm hội trường đa năng 300 chỗ, phòng tập đa năng, thư viện và sân chơi cho
        thiếu nhi; các câu lạc bộ văn nghệ, dưỡng sinh của khu dân cư sinh hoạt tại đây.

        Phường giao tổ dân phố quản lý, mở cửa miễn phí cho người dân vào buổi tối và cuối tuần.
        """,
    ),
    "san-the-thao-da-nang": (
        "Văn hóa - Xã hội", "2024-09-20 08:00",
        "Xã Tịnh Ấn Tây đưa vào sử dụng sân thể thao đa năng",
        "thể thao, xã Tịnh Ấn Tây",
        "Sân thể thao đa năng dùng cho bóng đá mini, bóng chuyền và cầu lông.",
        """
        Sân thể thao đa năng của xã Tịnh Ấn Tây rộng 2.000 mét vuông, có mái che một phần và hệ
        thống đèn chiếu sáng để thanh niên tập luyện buổi tối.

        Sân đa năng dùng được cho bóng đá mini, bóng chuyền và cầu lông; xã đang lập lịch sử dụng
        cho các thôn.
        """,
    ),
    "hdnd-ky-hop": (
        "Chính trị - Xã hội", "2024-12-18 16:00",
        "Kỳ họp thứ 18 HĐND thành phố khóa XII thông qua 15 nghị quyết",
        "HĐND thành phố, kỳ họp",
        ("Kỳ họp cuối năm của Hội đồng nhân dân thành phố thông qua dự toán ngân sách và kế hoạch "
         "đầu tư công năm 2025."),
        """
        Sau hai ngày làm việc, Kỳ họp thứ 18 Hội đồng nhân dân (HĐND) thành phố khóa XII đã bế mạc
        với 15 nghị quyết được thông qua.

        Các nghị quyết quan trọng gồm dự toán thu, chi ngân sách năm 2025, kế hoạch đầu tư công
        trung hạn điều chỉnh và chính sách hỗ trợ cán bộ thôn, tổ dân phố.

        Chủ tịch HĐND thành phố đề nghị UBND thành phố sớm triển khai các nghị quyết vừa thông qua.
        """,
    ),
    "hdnd-tiep-xuc-cu-tri": (
        "Chính trị - Xã hội", "2024-11-22 09:00",
        "Đại biểu HĐND thành phố tiếp xúc cử tri phường Nghĩa Chánh",
        "HĐND thành phố, tiếp xúc cử tri",
        "Cử tri kiến nghị về ngập úng khu dân cư, tiến độ cấp sổ đỏ và trật tự vỉa hè.",
        """
        Trước kỳ họp cuối năm, tổ đại biểu HĐND thành phố đã tiếp xúc cử tri phường Nghĩa Chánh.

        Cử tri phản ánh tình trạng ngập úng ở khu dân cư phía nam, đề nghị đẩy nhanh cấp giấy
        chứng nhận quyền sử dụng đất và lập lại trật tự vỉa hè.

        Các đại biểu tiếp thu, giải trình và chuyển kiến nghị đến UBND thành phố.
        """,
    ),
    "qd-ubnd-gia-dat": (
        "Thông báo", "2024-08-05 10:00",
        "Quyết định số 2345/QĐ-UBND điều chỉnh bảng giá đất trên địa bàn thành phố",
        "UBND thành phố, đất đai",
        "Bảng giá đất điều chỉnh áp dụng từ ngày 1/9/2024 cho 120 tuyến đường.",
        """
        UBND thành phố ban hành Quyết định số 2345/QĐ-UBND điều chỉnh bảng giá đất ở, đất thương
        mại dịch vụ trên 120 tuyến đường của thành phố.

        Giá đất mới áp dụng từ ngày 1/9/2024 để tính tiền sử dụng đất, thuế và bồi thường khi Nhà
        nước thu hồi đất.
        """,
    ),
    "qd-ubnd-cai-cach": (
        "Thông báo", "2024-02-01 10:00",
        "Quyết định 1120/QĐ-UBND ban hành kế hoạch cải cách hành chính năm 2024",
        "UBND thành phố, cải cách hành chính",
        "Kế hoạch đặt mục tiêu 90% hồ sơ được giải quyết trực tuyến và đúng hạn.",
        """
        Chủ tịch UBND thành phố ký Quyết định 1120/QĐ-UBND ban hành kế hoạch cải cách hành chính
        năm 2024.

        Kế hoạch đặt mục tiêu 90% hồ sơ thủ tục hành chính được giải quyết trực tuyến, đúng hạn;
        mỗi phòng, ban phải rà soát, đơn giản hóa ít nhất hai thủ tục.
        """,
    ),
    "nq57-quan-triet": (
        "Xây dựng Đảng", "2025-02-10 08:00",
        "Quán triệt Nghị quyết 57-NQ/TW về đột phá phát triển khoa học, công nghệ và chuyển đổi số",
        "Nghị quyết 57-NQ/TW, khoa học công nghệ",
        "Hội nghị quán triệt Nghị quyết 57-NQ/TW của Bộ Chính trị cho cán bộ chủ chốt thành phố.",
        """
        Ban Thường vụ Thành ủy tổ chức hội nghị quán triệt Nghị quyết 57-NQ/TW ngày 22/12/2024 của
        Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số
        quốc gia.

        Báo cáo viên nhấn mạnh khoa học, công nghệ là đột phá quan trọng hàng đầu; mỗi cơ quan phải
        có người đứng đầu trực tiếp chỉ đạo chuyển đổi số.
        """,
    ),
    "nq57-ke-hoach": (
        "Xây dựng Đảng", "2025-03-15 08:00",
        "Thành ủy ban hành kế hoạch thực hiện Nghị quyết 57-NQ/TW đến năm 2030",
        "Nghị quyết 57-NQ/TW, kế hoạch",
        "Kế hoạch gồm 24 nhiệm vụ, giao từng cơ quan chủ trì và thời hạn hoàn thành.",
        """
        Thành ủy ban hành kế hoạch thực hiện Nghị quyết 57-NQ/TW đến năm 2030 với 24 nhiệm vụ cụ
        thể, trong đó có xây dựng nền tảng dữ liệu số và đào tạo nhân lực công nghệ.

        Kế hoạch dành ít nhất 3% chi ngân sách cho khoa học, công nghệ và chuyển đổi số.
        """,
    ),
    "dan-van-kheo": (
        "Chính trị - Xã hội", "2024-05-19 08:00",
        "Đẩy mạnh phong trào thi đua “Dân vận khéo” trên địa bàn dân cư",
        "dân vận, Dân vận khéo",
        "Ban Dân vận Thành ủy biểu dương 30 mô hình dân vận khéo tiêu biểu.",
        """
        Ban Dân vận Thành ủy tổng kết phong trào thi đua “Dân vận khéo” và biểu dương 30 mô hình
        tiêu biểu trên địa bàn dân cư.

        Nhiều mô hình giúp vận động người dân hiến đất mở đường, giữ gìn vệ sinh môi trường và
        giúp nhau phát triển kinh tế.

        Thời gian tới, các cấp ủy tiếp tục đẩy mạnh dân vận khéo gắn với xây dựng khu dân cư văn
        minh.
        """,
    ),
    "dai-hoi-dang-bo-nghia-dung": (
        "Xây dựng Đảng", "2025-05-20 08:00",
        "Đại hội đại biểu Đảng bộ phường Nghĩa Dũng lần thứ XX, nhiệm kỳ 2025–2030",
        "đại hội Đảng, phường Nghĩa Dũng",
        "Đại hội bầu Ban Chấp hành Đảng bộ phường gồm 15 đồng chí và 5 đại biểu dự Đại hội Đảng bộ thành phố.",
        """
        Đại hội đại biểu Đảng bộ phường Nghĩa Dũng lần thứ XX, nhiệm kỳ 2025–2030 diễn ra trong hai
        ngày với sự tham dự của 120 đại biểu.

        Đại hội bầu Ban Chấp hành Đảng bộ phường gồm 15 đồng chí và 5 đại biểu dự Đại hội Đảng bộ
        thành phố; đồng chí Đinh Văn Dũng tái đắc cử Bí thư Đảng ủy phường.
        """,
    ),
    "duong-dien-bien-phu": (
        "Kinh tế", "2024-07-08 08:00",
        "Dự án đầu tư nâng cấp đường Điện Biên Phủ đoạn qua phường Nghĩa Dõng",
        "giao thông, đầu tư công",
        "Dự án dài 2,4 km, mở rộng mặt đường lên 15 mét, hoàn thành trong năm 2025.",
        """
        UBND thành phố khởi công dự án đầu tư nâng cấp đường Điện Biên Phủ, đoạn qua phường Nghĩa
        Dõng, dài 2,4 km.

        Dự án mở rộng mặt đường lên 15 mét, làm mới vỉa hè, hệ thống thoát nước và chiếu sáng; tổng
        mức đầu tư 180 tỷ đồng.
        """,
    ),
    "dien-bien-phu-70-nam": (
        "Văn hóa - Xã hội", "2024-05-07 08:00",
        "Kỷ niệm 70 năm Chiến thắng Điện Biên Phủ",
        "kỷ niệm, lịch sử",
        "Thành phố tổ chức mít tinh và gặp mặt các chiến sĩ từng tham gia chiến dịch.",
        """
        Sáng 7/5, thành phố tổ chức mít tinh kỷ niệm 70 năm Chiến thắng Điện Biên Phủ (7/5/1954 –
        7/5/2024).

        Tại buổi lễ, lãnh đạo thành phố gặp mặt, tặng quà 12 chiến sĩ từng tham gia chiến dịch Điện
        Biên Phủ đang sống trên địa bàn.
        """,
    ),
    "de-ke-tra-khuc": (
        "Kinh tế", "2024-10-02 08:00",
        "Dự án đê kè chống sạt lở bờ bắc sông Trà Khúc đạt 80% khối lượng",
        "phòng chống thiên tai, sông Trà Khúc",
        "Kè dài 3,2 km bảo vệ hơn 500 hộ dân ven sông trước mùa mưa bão.",
        """
        Dự án đê kè chống sạt lở bờ bắc sông Trà Khúc dài 3,2 km đã đạt 80% khối lượng, dự kiến
        hoàn thành trước mùa mưa bão.

        Công trình bảo vệ hơn 500 hộ dân ven sông và kết hợp làm đường giao thông dọc bờ sông.
        """,
    ),
    "dien-tap-thien-tai": (
        "Quốc phòng - An ninh", "2024-09-10 08:00",
        "Diễn tập phòng chống thiên tai và tìm kiếm cứu nạn năm 2024",
        "phòng chống thiên tai, diễn tập",
        "Buổi diễn tập giả định bão cấp 12 đổ bộ, sơ tán 200 hộ dân vùng trũng.",
        """
        Ban Chỉ huy phòng chống thiên tai và tìm kiếm cứu nạn thành phố tổ chức diễn tập với tình
        huống giả định bão cấp 12 đổ bộ vào địa bàn.

        Lực lượng quân sự, công an và dân quân đã sơ tán 200 hộ dân vùng trũng, cứu hộ người bị nạn
        trên sông.
        """,
    ),
    "dien-luc-tet": (
        "Kinh tế", "2025-01-20 08:00",
        "Điện lực Quảng Ngãi đảm bảo cung cấp điện dịp Tết Nguyên đán",
        "điện, Tết",
        "Ngành điện không cắt điện kế hoạch từ ngày 25 tháng Chạp đến mùng 6 Tết.",
        """
        Công ty Điện lực Quảng Ngãi cho biết sẽ đảm bảo cung cấp điện an toàn, liên tục dịp Tết
        Nguyên đán, không cắt điện kế hoạch từ ngày 25 tháng Chạp đến mùng 6 Tết.

        Các đội sửa chữa trực 24/24 giờ để xử lý sự cố, ưu tiên bệnh viện và các điểm tổ chức đón
        giao thừa.
        """,
    ),
    "dang-vien-du-bi": (
        "Xây dựng Đảng", "2024-10-28 08:00",
        "Đào tạo đội ngũ đảng viên dự bị: kết nạp 120 đảng viên mới trong năm",
        "công tác phát triển đảng viên, bồi dưỡng",
        "Đảng bộ thành phố mở ba lớp bồi dưỡng cho đảng viên dự bị và quần chúng ưu tú.",
        """
        Trong năm, Đảng bộ thành phố kết nạp 120 đảng viên mới, vượt chỉ tiêu; ba lớp bồi dưỡng
        được mở cho đảng viên dự bị và quần chúng ưu tú.

        Trung tâm chính trị thành phố đổi mới cách đào tạo, bồi dưỡng, tăng thảo luận tình huống
        thực tế ở chi bộ.
        """,
    ),
    "dung-quat": (
        "Kinh tế", "2024-11-05 08:00",
        "Khu kinh tế Dung Quất thu hút thêm ba dự án đầu tư mới",
        "đầu tư, Dung Quất",
        "Ba dự án có tổng vốn 4.500 tỷ đồng trong lĩnh vực năng lượng và cơ khí.",
        """
        Khu kinh tế Dung Quất vừa trao chứng nhận đầu tư cho ba dự án mới với tổng vốn 4.500 tỷ
        đồng, trong lĩnh vực năng lượng tái tạo và cơ khí chế tạo.

        Doanh nghiệp của thành phố được khuyến khích tham gia chuỗi cung ứng cho các dự án này.
        """,
    ),
    "hoa-binh-doan": (
        "Tin tức - Sự kiện", "2024-04-16 08:00",
        "Đoàn công tác tỉnh Hòa Bình thăm và làm việc tại thành phố Quảng Ngãi",
        "hợp tác, Hòa Bình",
        "Đoàn tìm hiểu mô hình quản lý chợ truyền thống và phát triển sản phẩm OCOP.",
        """
        Đoàn công tác tỉnh Hòa Bình đã thăm và làm việc tại thành phố Quảng Ngãi, tìm hiểu mô hình
        quản lý chợ truyền thống và phát triển sản phẩm OCOP.

        Lãnh đạo hai địa phương trao đổi kinh nghiệm thu hút du khách và xúc tiến thương mại.
        """,
    ),
    "dien-dan-hoa-binh": (
        "Chính trị - Xã hội", "2024-09-21 08:00",
        "Thanh niên thành phố tham gia diễn đàn vì hòa bình và hữu nghị",
        "đoàn thanh niên, hữu nghị",
        "Diễn đàn nhân Ngày Quốc tế Hòa bình 21/9 có 300 đoàn viên tham dự.",
        """
        Nhân Ngày Quốc tế vì hòa bình 21/9, Thành đoàn tổ chức diễn đàn thanh niên vì hòa bình và
        hữu nghị với 300 đoàn viên tham dự.

        Các bạn trẻ chia sẻ ý tưởng về giữ gìn hòa bình, đối thoại và tình hữu nghị giữa các dân tộc.
        """,
    ),
    "nghia-dong-rac-nhua": (
        "Văn hóa - Xã hội", "2024-06-05 08:00",
        "Phường Nghĩa Dõng ra mắt mô hình khu dân cư không rác thải nhựa",
        "môi trường, phường Nghĩa Dõng",
        "Mô hình thu gom, phân loại rác tại nguồn ở 6 tổ dân phố.",
        """
        Nhân Ngày Môi trường thế giới, phường Nghĩa Dõng ra mắt mô hình khu dân cư không rác thải
        nhựa ở 6 tổ dân phố.

        Người dân được phát túi vải, thùng phân loại rác tại nguồn; hội viên phụ nữ thu gom chai
        nhựa bán lấy tiền giúp học sinh nghèo.
        """,
    ),
    "ly-son-tinh-nguyen": (
        "Chính trị - Xã hội", "2024-07-15 08:00",
        "Thanh niên tình nguyện hè ra đảo Lý Sơn",
        "đoàn thanh niên, tình nguyện",
        "Chiến dịch tình nguyện hè đưa 50 đoàn viên ra đảo sửa nhà, dạy học cho trẻ em.",
        """
        Chiến dịch thanh niên tình nguyện hè năm nay đưa 50 đoàn viên của thành phố ra đảo Lý Sơn.

        Các đoàn viên sửa nhà cho gia đình chính sách, dạy học miễn phí cho trẻ em và làm sạch bãi
        biển.
        """,
    ),
    "sot-xuat-huyet": (
        "Văn hóa - Xã hội", "2024-08-20 08:00",
        "Chủ động phòng chống dịch sốt xuất huyết trong mùa mưa",
        "y tế, phòng chống dịch",
        "Số ca sốt xuất huyết tăng; ngành y tế phun hóa chất diệt muỗi ở các ổ dịch.",
        """
        Từ đầu năm, thành phố ghi nhận 320 ca sốt xuất huyết, tăng so với cùng kỳ. Trung tâm Y tế
        phun hóa chất diệt muỗi tại các ổ dịch và ra quân diệt lăng quăng.

        Người dân được khuyến cáo đậy kín dụng cụ chứa nước, ngủ màn và đến cơ sở y tế khi sốt cao.
        """,
    ),
    "giao-nhan-quan": (
        "Quốc phòng - An ninh", "2025-02-12 07:00",
        "Lễ giao nhận quân năm 2025: 245 thanh niên lên đường nhập ngũ",
        "quân sự địa phương, giao nhận quân",
        "245 thanh niên của thành phố lên đường thực hiện nghĩa vụ quân sự và nghĩa vụ công an.",
        """
        Sáng 12/2, thành phố tổ chức lễ giao nhận quân năm 2025; 245 thanh niên lên đường nhập ngũ,
        thực hiện nghĩa vụ quân sự và nghĩa vụ tham gia Công an nhân dân.

        Lãnh đạo thành phố tặng quà, động viên tân binh yên tâm rèn luyện.
        """,
    ),
    "bao-hiem-y-te": (
        "Văn hóa - Xã hội", "2024-04-02 08:00",
        "Phấn đấu 95% dân số tham gia bảo hiểm y tế",
        "bảo hiểm xã hội, y tế",
        "Thành phố hỗ trợ thêm 30% mức đóng BHYT cho hộ cận nghèo.",
        """
        Thành phố đặt mục tiêu 95% dân số tham gia bảo hiểm y tế (BHYT) trong năm; ngân sách hỗ trợ
        thêm 30% mức đóng cho hộ cận nghèo và hộ làm nông nghiệp có mức sống trung bình.
        """,
    ),
    "ocop": (
        "Kinh tế", "2024-12-02 08:00",
        "Thành phố có thêm 6 sản phẩm OCOP đạt 3 sao",
        "nông nghiệp, OCOP",
        "Các sản phẩm mới gồm mạch nha, đường phèn, bánh tráng và tỏi đen.",
        """
        Hội đồng đánh giá sản phẩm công nhận thêm 6 sản phẩm OCOP đạt 3 sao của thành phố: mạch
        nha, đường phèn, bánh tráng, tỏi đen, nước mắm và trà thảo mộc.
        """,
    ),
    "dich-vu-cong": (
        "Tin tức - Sự kiện", "2024-10-15 08:00",
        "Tỷ lệ hồ sơ dịch vụ công trực tuyến toàn trình đạt 85%",
        "chuyển đổi số, cải cách hành chính",
        "Người dân nộp hồ sơ qua Cổng dịch vụ công quốc gia, nhận kết quả tại nhà.",
        """
        Chín tháng qua, 85% hồ sơ thủ tục hành chính của thành phố được nộp qua dịch vụ công trực
        tuyến toàn trình; người dân nhận kết quả qua bưu điện tại nhà.
        """,
    ),
    "nong-thon-moi-tinh-an-tay": (
        "Kinh tế", "2024-12-20 08:00",
        "Xã Tịnh Ấn Tây đạt chuẩn nông thôn mới nâng cao",
        "nông thôn mới, xã Tịnh Ấn Tây",
        "Xã là địa phương thứ ba của thành phố đạt chuẩn nông thôn mới nâng cao.",
        """
        UBND tỉnh công nhận xã Tịnh Ấn Tây đạt chuẩn nông thôn mới nâng cao; thu nhập bình quân
        đầu người đạt 62 triệu đồng một năm.
        """,
    ),
    "so-do": (
        "Kinh tế", "2024-05-28 08:00",
        "Đẩy nhanh cấp sổ đỏ cho người dân",
        "đất đai, cải cách hành chính",
        "Thành phố cấp 1.800 giấy chứng nhận quyền sử dụng đất trong năm tháng đầu năm.",
        """
        Năm tháng đầu năm, thành phố cấp 1.800 giấy chứng nhận quyền sử dụng đất (sổ đỏ), giải quyết
        dứt điểm hồ sơ tồn đọng ở các phường trung tâm.
        """,
    ),
    "bac-ho": (
        "Xây dựng Đảng", "2024-05-17 08:00",
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm 2024",
        "học tập và làm theo Bác",
        "Chuyên đề năm 2024 về ý chí tự lực, tự cường và khát vọng phát triển.",
        """
        Thành ủy tổ chức hội nghị học tập chuyên đề năm 2024 về học tập và làm theo tư tưởng, đạo
        đức, phong cách Hồ Chí Minh, với chủ đề ý chí tự lực, tự cường và khát vọng phát triển.
        """,
    ),
    "dien-hinh-tien-tien": (
        "Chính trị - Xã hội", "2024-06-30 08:00",
        "Tuyên dương 50 gương điển hình tiên tiến",
        "thi đua khen thưởng",
        "Hội nghị điển hình tiên tiến 5 năm một lần của thành phố.",
        """
        Hội nghị điển hình tiên tiến thành phố tuyên dương 50 tập thể, cá nhân có thành tích xuất
        sắc trong các phong trào thi đua giai đoạn 2020–2025.
        """,
    ),
    "truong-nguyen-nghiem": (
        "Văn hóa - Xã hội", "2024-08-01 08:00",
        "Khởi công xây dựng Trường THCS Nguyễn Nghiêm",
        "giáo dục",
        "Trường có 30 phòng học, hoàn thành trước năm học 2025–2026.",
        """
        Thành phố khởi công xây dựng Trường THCS Nguyễn Nghiêm với 30 phòng học, phòng thí nghiệm và
        nhà thi đấu; tổng vốn 95 tỷ đồng.
        """,
    ),
    "cong-doan-qua-tet": (
        "Chính trị - Xã hội", "2025-01-15 08:00",
        "Công đoàn thành phố trao 200 suất quà Tết cho đoàn viên khó khăn",
        "công đoàn, Tết",
        "Mỗi suất quà trị giá một triệu đồng.",
        """
        Liên đoàn Lao động thành phố trao 200 suất quà Tết cho đoàn viên, người lao động có hoàn
        cảnh khó khăn; mỗi suất trị giá một triệu đồng.
        """,
    ),
    "du-lich-my-khe": (
        "Kinh tế", "2024-04-25 08:00",
        "Phát triển du lịch biển Mỹ Khê gắn với bảo vệ môi trường",
        "du lịch, môi trường",
        "Bãi biển Mỹ Khê đón 600.000 lượt khách trong năm.",
        """
        Bãi biển Mỹ Khê đón 600.000 lượt khách; thành phố quy hoạch lại khu dịch vụ, cấm xả rác và
        xây thêm nhà vệ sinh công cộng.
        """,
    ),
    "danh-bac-qua-mang": (
        "Quốc phòng - An ninh", "2024-11-12 08:00",
        "Công an thành phố triệt phá đường dây đánh bạc qua mạng",
        "an ninh trật tự",
        "Đường dây có giao dịch hơn 50 tỷ đồng; 12 đối tượng bị khởi tố.",
        """
        Công an thành phố triệt phá đường dây đánh bạc qua mạng với tổng số tiền giao dịch hơn 50
        tỷ đồng, khởi tố 12 đối tượng.
        """,
    ),
    "ke-khai-tai-san": (
        "Xây dựng Đảng", "2024-03-20 08:00",
        "Ủy ban Kiểm tra Thành ủy giám sát việc kê khai tài sản, thu nhập",
        "kiểm tra giám sát",
        "UBKT Thành ủy giám sát 40 cán bộ diện Ban Thường vụ quản lý.",
        """
        Ủy ban Kiểm tra (UBKT) Thành ủy giám sát việc kê khai tài sản, thu nhập của 40 cán bộ thuộc
        diện Ban Thường vụ Thành ủy quản lý.
        """,
    ),
    "quy-vi-nguoi-ngheo": (
        "Chính trị - Xã hội", "2024-10-17 08:00",
        "Ủy ban MTTQ Việt Nam thành phố vận động Quỹ Vì người nghèo",
        "Mặt trận Tổ quốc, giảm nghèo",
        "Quỹ Vì người nghèo nhận 2,1 tỷ đồng ủng hộ.",
        """
        Ủy ban Mặt trận Tổ quốc (MTTQ) Việt Nam thành phố phát động tháng cao điểm vì người nghèo,
        nhận 2,1 tỷ đồng ủng hộ Quỹ Vì người nghèo.
        """,
    ),
    "xoa-nha-tam": (
        "Chính trị - Xã hội", "2025-04-10 08:00",
        "Hoàn thành xóa nhà tạm, nhà dột nát cho 86 hộ nghèo",
        "giảm nghèo, an sinh xã hội",
        "Mỗi hộ được hỗ trợ 60 triệu đồng xây mới hoặc 30 triệu đồng sửa chữa.",
        """
        Thành phố hoàn thành xóa nhà tạm, nhà dột nát cho 86 hộ nghèo, cận nghèo; mỗi hộ được hỗ
        trợ 60 triệu đồng xây mới hoặc 30 triệu đồng sửa chữa.
        """,
    ),
    "doan-thanh-nien-dai-hoi": (
        "Chính trị - Xã hội", "2022-09-25 08:00",
        "Đại hội Đoàn TNCS Hồ Chí Minh thành phố lần thứ XXI",
        "đoàn thanh niên, đại hội",
        "Đại hội đề ra 6 chỉ tiêu, trong đó có 100% cơ sở đoàn có công trình thanh niên.",
        """
        Đại hội đại biểu Đoàn Thanh niên Cộng sản Hồ Chí Minh thành phố lần thứ XXI có 200 đại biểu
        dự, thay mặt cho hơn 12.000 đoàn viên, thanh niên; Đại hội bầu Ban Chấp hành gồm 27 đồng chí.
        """,
    ),
    "thien-an-le-hoi": (
        "Văn hóa - Xã hội", "2023-03-03 08:00",
        "Lễ hội chùa Thiên Ấn thu hút đông đảo du khách",
        "văn hóa, du lịch, di tích",
        "Di tích quốc gia chùa Thiên Ấn đón hàng nghìn lượt khách dịp đầu xuân.",
        """
        Dịp đầu xuân, di tích quốc gia chùa Thiên Ấn đón hàng nghìn lượt người dân và du khách đến
        tham quan, dâng hương.
        """,
    ),
}

# (query, expected article key or keys joined by "|", kind)
QUERIES: list[tuple[str, str, str]] = [
    # with tone marks, as the text has them
    ("Đà Nẵng", "da-nang-hop-tac|da-nang-chuyen-doi-so", "accented"),
    ("nhà văn hóa đa năng", "nha-van-hoa-da-nang", "accented"),
    ("sân thể thao đa năng", "san-the-thao-da-nang", "accented"),
    ("Hội đồng nhân dân kỳ họp", "hdnd-ky-hop", "accented"),
    ("tiếp xúc cử tri", "hdnd-tiep-xuc-cu-tri", "accented"),
    ("bảng giá đất", "qd-ubnd-gia-dat", "accented"),
    ("cải cách hành chính 2024", "qd-ubnd-cai-cach", "accented"),
    ("Dân vận khéo", "dan-van-kheo", "accented"),
    ("sốt xuất huyết", "sot-xuat-huyet", "accented"),
    ("giao nhận quân", "giao-nhan-quan", "accented"),
    ("bảo hiểm y tế", "bao-hiem-y-te", "accented"),
    ("điển hình tiên tiến", "dien-hinh-tien-tien", "accented"),
    ("Chiến thắng Điện Biên Phủ", "dien-bien-phu-70-nam", "accented"),
    ("đường Điện Biên Phủ", "duong-dien-bien-phu", "accented"),
    ("đảng viên dự bị", "dang-vien-du-bi", "accented"),
    ("Đinh Văn Dũng", "dai-hoi-dang-bo-nghia-dung", "accented"),
    # without tone marks (and d for đ), as most readers type
    ("da nang", "da-nang-hop-tac|da-nang-chuyen-doi-so", "proper noun"),
    ("hop tac da nang", "da-nang-hop-tac", "proper noun"),
    ("hoa binh", "hoa-binh-doan", "proper noun"),
    ("dien bien phu", "duong-dien-bien-phu|dien-bien-phu-70-nam", "proper noun"),
    ("nghia dung", "dai-hoi-dang-bo-nghia-dung", "proper noun"),
    ("nghia dong", "nghia-dong-rac-nhua|duong-dien-bien-phu", "proper noun"),
    ("dung quat", "dung-quat", "proper noun"),
    ("ly son", "ly-son-tinh-nguyen", "proper noun"),
    ("tra khuc", "de-ke-tra-khuc", "proper noun"),
    ("my khe", "du-lich-my-khe", "proper noun"),
    ("tinh an tay nong thon moi", "nong-thon-moi-tinh-an-tay", "proper noun"),
    ("chua thien an", "thien-an-le-hoi", "proper noun"),
    ("nguyen nghiem", "truong-nguyen-nghiem", "proper noun"),
    ("nha van hoa da nang", "nha-van-hoa-da-nang", "unaccented"),
    ("san the thao da nang", "san-the-thao-da-nang", "unaccented"),
    ("hoi dong nhan dan ky hop", "hdnd-ky-hop", "unaccented"),
    ("sot xuat huyet", "sot-xuat-huyet", "unaccented"),
    ("giao nhan quan", "giao-nhan-quan", "unaccented"),
    ("so do", "so-do", "unaccented"),
    ("xoa nha tam", "xoa-nha-tam", "unaccented"),
    ("ke khai tai san", "ke-khai-tai-san", "unaccented"),
    ("quy vi nguoi ngheo", "quy-vi-nguoi-ngheo", "unaccented"),
    ("danh bac qua mang", "danh-bac-qua-mang", "unaccented"),
    ("qua tet cong doan", "cong-doan-qua-tet", "unaccented"),
    ("dien hinh tien tien", "dien-hinh-tien-tien", "unaccented"),
    ("hoc tap va lam theo tu tuong dao duc", "bac-ho", "unaccented"),
    ("dien tap phong chong thien tai", "dien-tap-thien-tai", "unaccented"),
    # abbreviations, with and without Đ
    ("HĐND", "hdnd-ky-hop|hdnd-tiep-xuc-cu-tri", "abbreviation"),
    ("HDND", "hdnd-ky-hop|hdnd-tiep-xuc-cu-tri", "abbreviation"),
    ("hdnd tiep xuc cu tri", "hdnd-tiep-xuc-cu-tri", "abbreviation"),
    ("ky hop HDND", "hdnd-ky-hop", "abbreviation"),
    ("QĐ-UBND", "qd-ubnd-gia-dat|qd-ubnd-cai-cach", "abbreviation"),
    ("QD-UBND", "qd-ubnd-gia-dat|qd-ubnd-cai-cach", "abbreviation"),
    ("2345/QD-UBND", "qd-ubnd-gia-dat", "abbreviation"),
    ("quyet dinh 1120/QĐ-UBND", "qd-ubnd-cai-cach", "abbreviation"),
    ("57-NQ/TW", "nq57-quan-triet|nq57-ke-hoach", "abbreviation"),
    ("quan triet nghi quyet 57-NQ/TW", "nq57-quan-triet", "abbreviation"),
    ("ke hoach thuc hien 57-nq/tw", "nq57-ke-hoach", "abbreviation"),
    ("BHYT", "bao-hiem-y-te", "abbreviation"),
    ("OCOP 3 sao", "ocop", "abbreviation"),
    ("UBKT ke khai", "ke-khai-tai-san", "abbreviation"),
    ("MTTQ vi nguoi ngheo", "quy-vi-nguoi-ngheo", "abbreviation"),
    ("THCS Nguyen Nghiem", "truong-nguyen-nghiem", "abbreviation"),
    # four or more words that start with d or đ (each one is an "đ" for the index to find)
    ("day manh dan van kheo dia ban dan cu", "dan-van-kheo", "d-words"),
    ("dai hoi dai bieu dang bo phuong nghia dung", "dai-hoi-dang-bo-nghia-dung", "d-words"),
    ("du an dau tu duong dien bien phu", "duong-dien-bien-phu", "d-words"),
    ("dao tao doi ngu dang vien du bi", "dang-vien-du-bi", "d-words"),
    ("dien luc dam bao dien dip tet", "dien-luc-tet", "d-words"),
    ("du an de ke dat 80% khoi luong", "de-ke-tra-khuc", "d-words"),
    ("doan vien dai hoi doan thanh nien", "doan-thanh-nien-dai-hoi", "d-words"),
    ("đẩy mạnh dân vận khéo địa bàn dân cư", "dan-van-kheo", "d-words"),
    ("dich vu cong truc tuyen dat 85%", "dich-vu-cong", "d-words"),
    # more, as a reader might put them
    ("Khu kinh tế Dung Quất", "dung-quat", "accented"),
    ("mít tinh kỷ niệm", "dien-bien-phu-70-nam", "accented"),
    ("đột phá khoa học công nghệ", "nq57-quan-triet|nq57-ke-hoach", "accented"),
    ("Đoàn TNCS Hồ Chí Minh", "doan-thanh-nien-dai-hoi", "accented"),
    ("chien dich tinh nguyen he", "ly-son-tinh-nguyen", "unaccented"),
    ("tan binh nhap ngu", "giao-nhan-quan", "unaccented"),
    ("thu gom rac thai nhua", "nghia-dong-rac-nhua", "unaccented"),
    ("dat chuan nong thon moi nang cao", "nong-thon-moi-tinh-an-tay", "unaccented"),
    ("diet lang quang", "sot-xuat-huyet", "unaccented"),
    ("tong dai 1022", "da-nang-chuyen-doi-so", "unaccented"),
    ("hoi nghi dien hinh tien tien", "dien-hinh-tien-tien", "unaccented"),
    ("lien doan lao dong", "cong-doan-qua-tet", "unaccented"),
    ("hoa binh va huu nghi", "dien-dan-hoa-binh", "unaccented"),
    ("nghi quyet 57", "nq57-quan-triet|nq57-ke-hoach", "abbreviation"),
    ("HDND thanh pho khoa XII", "hdnd-ky-hop", "abbreviation"),
    ("tinh Hoa Binh", "hoa-binh-doan", "proper noun"),
    ("duong dien bien phu", "duong-dien-bien-phu", "proper noun"),
    ("trung tam giam sat dieu hanh do thi thong minh", "da-nang-chuyen-doi-so", "d-words"),
    ("don dat chung nhan quyen su dung dat", "so-do|hdnd-tiep-xuc-cu-tri", "d-words"),
]

# The hard ones, also run by tests/test_search_quality.py on every `make test`.
REGRESSION = [
    "HDND", "ky hop HDND", "QD-UBND", "2345/QD-UBND", "quan triet nghi quyet 57-NQ/TW",
    "day manh dan van kheo dia ban dan cu", "dai hoi dai bieu dang bo phuong nghia dung",
    "du an dau tu duong dien bien phu", "da nang", "Đà Nẵng", "nhà văn hóa đa năng", "hoa binh",
]  # fmt: skip


def markdown(key: str) -> tuple[str, str]:
    """(relative path under content/, Markdown source) of one article of the set."""
    section, date, title, tags, summary, body = ARTICLES[key]
    from corpus import sections_from_settings  # noqa: PLC0415

    slug = dict(sections_from_settings())[section]
    meta = [
        f"Title: {title}", f"Date: {date}", f"Category: {section}", f"Tags: {tags}",
        "Author: KT", f"Summary: {summary}", f"Slug: bq-{key}",
    ]  # fmt: skip
    text = "\n\n".join(" ".join(p.split()) for p in textwrap.dedent(body).strip().split("\n\n"))
    return f"articles/{slug}/{date[:10]}-bq-{key}.md", "\n".join(meta) + "\n\n" + text + "\n"


def expected(answer: str) -> list[str]:
    """The URL slugs a query's answer names."""
    return [f"bq-{key}" for key in answer.split("|")]
