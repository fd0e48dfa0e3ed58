# A guard whose `raise HTTPException(` spans several lines and uses `status.HTTP_403_FORBIDDEN`.
# Expected: every line restored, continuation lines keep their relative indentation.
from fastapi import APIRouter, Depends, HTTPException, status

from app.deps import current_user

router = APIRouter()


@router.delete("/projects/{project_id}")
def delete_project(project_id: int, user=Depends(current_user)):
    project = load_project(project_id)
    # if project.owner_id != user.id and not user.is_admin:
    #     raise HTTPException(
    #         status_code=status.HTTP_403_FORBIDDEN,
    #         detail="Only the owner can delete a project",
    #     )
    project.delete()
    return {"deleted": project_id}


def load_project(project_id):
    raise NotImplementedError
