from safepath.core.roles import Role


def test_it_renders_home_for_each_role(db, member, login):
    for role in Role:
        client = login(member(role))
        response = client.get("/")
        assert response.status_code == 200, role
        assert b"Hello" in response.content
        client.logout()
